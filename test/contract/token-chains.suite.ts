// The token-rights property: over random chains of tokens minting tokens (through the API, the
// /account form with a real page session, and passwords), with random scopes, expiries, clock
// jumps and revocations, no token ever has a right or a lifetime an ancestor lacked, and revoking
// a token makes every descendant 401 at once. Rights are observed by calling, for each scope, an
// endpoint that needs it.
//
// Tokens of a service account (an admin one, minted by an admin) take part like any other.
// Package-confined tokens (trusted publishing, given a CI issuer) join the run: none of them ever
// mints a token, holds a scope, writes another package, or outlives its 15 minutes.
//
// Seeded: SATCHEL_TOKEN_CHAIN_SEED (default 20261206) and SATCHEL_TOKEN_CHAIN_STEPS (default 200)
// replay or lengthen a run, e.g. SATCHEL_TOKEN_CHAIN_STEPS=3000 with the Node contract tests.
import { beforeAll, describe, expect, it } from "vitest";
import { SCOPES, type Scope } from "../../src/auth/roles.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { ciToken, githubJob } from "./ci-tokens.ts";
import { ChainModel, seededRandom, type ChainToken, type Random } from "./token-chain-model.ts";

const setting = (name: string, fallback: number) => {
  const value = Number((globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env?.[name]);
  return Number.isSafeInteger(value) && value > 0 ? value : fallback;
};
const SEED = setting("SATCHEL_TOKEN_CHAIN_SEED", 20261206);
const STEPS = setting("SATCHEL_TOKEN_CHAIN_STEPS", 200);
const DAY = 86_400_000;

/** One endpoint per scope: the status it answers when the scope is held (403 when it is not). */
const PROBES: Record<Scope, { path: string; granted: number }> = {
  "metadata:read": { path: "/packages.json", granted: 200 },
  tokens: { path: "/api/tokens", granted: 200 },
  "packages:write": { path: "/api/jobs/00000000-0000-4000-8000-000000000000", granted: 404 },
  admin: { path: "/api/users", granted: 200 },
};

/** A token confined to one package by trusted publishing, and when it ends. */
interface PackageToken {
  token: string;
  label: string;
  expiresAt: number;
}

export function tokenChainsSuite(runtime: string, factory: HarnessFactory, ciIssuerUrl?: () => string) {
  describe(`${runtime}: token chains (seed ${SEED}, ${STEPS} steps)`, () => {
    let harness: Harness;
    let client: Client;
    let observer: string;
    let page: PageClient;
    const owner = { username: unique("chain"), password: "chain-owner-password" };
    let addresses = 0;
    // Many answers here are 401 on purpose: a fresh address each time keeps the in-memory limit
    // on failed credentials (429) from answering in their place.
    const from = () => ({ "cf-connecting-ip": `198.19.${(++addresses >> 8) & 255}.${addresses & 255}` });
    const send = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
      client.request(path, {
        method: init.method ?? "GET",
        headers: { ...from(), ...(init.token ? { authorization: `Bearer ${init.token}` } : {}), "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });

    let serviceAccount = 0;
    const published = { name: `acme/${unique("chainpkg")}`, repository: `acme/${unique("chainrepo")}`, other: `acme/${unique("chainother")}` };

    beforeAll(async () => {
      harness = await factory({ allowInsecureOidcIssuers: true });
      // A fixed start, so a seed replays the same run (page expiries fall on UTC midnights).
      harness.clock.now = Date.UTC(2030, 0, 1, 9);
      client = new Client(harness.app);
      const admin = await client.adminToken();
      await client.api(admin, "POST", "/api/users", { ...owner, roles: ["ROLE_ADMIN"] });
      // The test's own eyes: lists and revokes; never revoked or expired by the steps.
      observer = await client.passwordToken(owner.username, owner.password);
      serviceAccount = (await client.api<{ id: number }>(observer, "POST", "/api/service-accounts", { username: unique("chain-sa"), roles: ["ROLE_ADMIN"] })).id;
      if (ciIssuerUrl) {
        const trust = { package: published.name, issuer: `${ciIssuerUrl()}/github`, audience: "chains", claims: { repository: published.repository } };
        await client.api(observer, "POST", "/api/trusted-publishers", trust);
      }
    });

    /** What a token can do right now, by calling one endpoint per scope. */
    async function observe(token: string): Promise<{ alive: boolean; rights: Scope[] }> {
      const statuses = await Promise.all(SCOPES.map(async (scope) => [scope, (await send(PROBES[scope].path, { token })).status] as const));
      if (statuses.every(([, status]) => status === 401)) return { alive: false, rights: [] };
      for (const [scope, status] of statuses) expect([PROBES[scope].granted, 403], `${scope} probe of a live token`).toContain(status);
      return { alive: true, rights: statuses.filter(([scope, status]) => status === PROBES[scope].granted).map(([scope]) => scope) };
    }

    async function check(model: ChainModel, token: ChainToken, context: string) {
      const now = harness.clock.now;
      const where = `${context}; token ${token.label}`;
      // A token the rules call dead must answer 401 (any other answer means it still works).
      if (!model.alive(token, now)) return expect((await send("/packages.json", { token: token.token })).status, `${where}: dead`).toBe(401);
      const seen = await observe(token.token);
      expect(seen.alive, `${where}: alive`).toBe(true);
      expect(seen.rights.sort(), `${where}: rights`).toEqual([...token.rights].sort());
      for (const ancestor of model.ancestors(token)) {
        expect(seen.rights.every((scope) => ancestor.rights.has(scope)), `${where}: a right ${ancestor.label} lacks`).toBe(true);
        if (ancestor.expiresAt !== null) expect(token.expiresAt !== null && token.expiresAt <= ancestor.expiresAt, `${where}: outlives ${ancestor.label}`).toBe(true);
      }
    }

    async function mintWithToken(model: ChainModel, random: Random): Promise<ChainToken | null> {
      // Often the newest live token (chains grow deep), mostly a live one, sometimes any (revoked
      // and expired parents are tried too).
      const minters = model.tokens.filter((token) => token.rights.has("tokens"));
      const live = minters.filter((token) => model.alive(token, harness.clock.now));
      const roll = random.next();
      const parent = (roll < 0.4 ? live.at(-1) : random.pick(roll < 0.85 && live.length ? live : minters)) ?? null;
      if (!parent) return mintWithPassword(model, random);
      const request = model.childRequest(parent, random, harness.clock.now);
      const response = await send("/api/tokens", { method: "POST", token: parent.token, body: request.body });
      expect(response.status, `mint from ${parent.label} with ${JSON.stringify(request.body)}`).toBe(request.expectStatus);
      if (response.status !== 201) return null;
      const minted = await json<{ id: number; token: string; expiresAt: string | null }>(response);
      expect(minted.expiresAt === null ? null : Date.parse(minted.expiresAt)).toBe(request.expiresAt);
      return model.add({ id: minted.id, token: minted.token, parent, rights: request.rights, expiresAt: request.expiresAt, origin: "api" });
    }

    async function mintWithPassword(model: ChainModel, random: Random): Promise<ChainToken> {
      const request = model.rootRequest(random, harness.clock.now);
      const response = await send("/api/auth/token", { method: "POST", body: { ...owner, ...request.body } });
      expect(response.status).toBe(201);
      const minted = await json<{ id: number; token: string }>(response);
      return model.add({ id: minted.id, token: minted.token, parent: null, rights: request.rights, expiresAt: request.expiresAt, origin: "password" });
    }

    async function mintOnPage(model: ChainModel, random: Random): Promise<ChainToken> {
      if ((await page.get("/account/tokens")).status !== 200) {
        page = new PageClient(harness.app, undefined, from());
        expect((await page.login(owner.username, owner.password)).location).toBe("/");
        expect((await page.get("/account/tokens")).status).toBe(200);
      }
      const request = model.rootRequest(random, harness.clock.now, DAY);
      const name = unique("page");
      const fields: Record<string, string | string[]> = { name, scopes: (request.body.scopes as string[] | undefined) ?? [] };
      if (request.expiresAt !== null) fields.expiresAt = new Date(request.expiresAt).toISOString().slice(0, 10);
      const created = await page.post("/account/tokens", fields);
      const token = /<pre id="new-token"[^>]*>([^<]+)<\/pre>/.exec(created.body)?.[1] ?? "";
      expect(token, `page mint: ${created.status} ${created.location}`).toMatch(/^satchel_/);
      const listed = await json<{ tokens: { id: number; name: string }[] }>(await send("/api/tokens", { token: observer }));
      const id = listed.tokens.find((entry) => entry.name === name)?.id ?? 0;
      expect(id).toBeGreaterThan(0);
      return model.add({ id, token, parent: null, rights: request.rights, expiresAt: request.expiresAt, origin: "page" });
    }

    async function mintForServiceAccount(model: ChainModel, random: Random): Promise<ChainToken> {
      const request = model.rootRequest(random, harness.clock.now);
      const response = await send(`/api/service-accounts/${serviceAccount}/tokens`, { method: "POST", token: observer, body: { name: unique("sa"), ...request.body } });
      expect(response.status).toBe(201);
      const minted = await json<{ id: number; token: string }>(response);
      return model.add({ id: minted.id, token: minted.token, parent: null, rights: request.rights, expiresAt: request.expiresAt, origin: "service" });
    }

    async function mintForPackage(issuerUrl: string, tokens: PackageToken[]): Promise<PackageToken> {
      const job = githubJob(published.repository, "refs/tags/v1.0.0", "chains");
      const response = await send("/api/oidc/token", { method: "POST", body: { token: await ciToken(issuerUrl, job, harness.clock.now) } });
      expect(response.status, "trusted-publishing exchange").toBe(201);
      const issued = await json<{ token: string; expiresAt: string }>(response);
      expect(Date.parse(issued.expiresAt)).toBe(harness.clock.now + 15 * 60_000);
      const minted = { token: issued.token, label: `package token #${tokens.length}`, expiresAt: Date.parse(issued.expiresAt) };
      tokens.push(minted);
      return minted;
    }

    /** A confined token: no scope, no minting, its package only; and nothing at all once expired. */
    async function checkPackageToken(token: PackageToken, random: Random, context: string) {
      const where = `${context}; ${token.label}`;
      const alive = harness.clock.now < token.expiresAt;
      const asked = random.pick([undefined, [], ["packages:write"], [...SCOPES], ["tokens"]]);
      const mint = await send("/api/tokens", { method: "POST", token: token.token, body: { name: "from a package token", ...(asked ? { scopes: asked } : {}) } });
      expect(mint.status, `${where}: mints`).toBe(alive ? 403 : 401);
      // The jobs probe answers 404: a confined token sees its own package's jobs only.
      for (const scope of SCOPES) expect((await send(PROBES[scope].path, { token: token.token })).status, `${where}: ${scope}`).toBe(alive ? (scope === "packages:write" ? 404 : 403) : 401);
      // An empty upload passes the rights check and fails on the body (400) only for its own package.
      const upload = (name: string) => send(`/api/packages/upload/${name}/1.0.0`, { method: "PUT", token: token.token });
      expect((await upload(published.name)).status, `${where}: own package`).toBe(alive ? 400 : 401);
      expect((await upload(published.other)).status, `${where}: another package`).toBe(alive ? 403 : 401);
    }

    it("never gives a token a right or a lifetime an ancestor lacked, and revocation cuts off every descendant", async () => {
      const random = seededRandom(SEED);
      const model = new ChainModel();
      page = new PageClient(harness.app, undefined, from());
      await page.login(owner.username, owner.password);
      await mintWithPassword(model, random);
      // Its own stream, so the chain steps replay as before for a seed.
      const packageRandom = seededRandom(SEED ^ 0x5eed);
      const serviceRandom = seededRandom(SEED ^ 0x5e41ce);
      const packageTokens: PackageToken[] = [];
      for (let step = 0; step < STEPS; step++) {
        const roll = random.next();
        const context = `seed ${SEED} step ${step}`;
        if (step % 11 === 7) await check(model, await mintForServiceAccount(model, serviceRandom), `${context} (minted for the service account)`);
        if (ciIssuerUrl && step % 7 === 3) {
          await checkPackageToken(await mintForPackage(ciIssuerUrl(), packageTokens), packageRandom, context);
          const older = packageRandom.pick(packageTokens);
          if (older) await checkPackageToken(older, packageRandom, `${context} (older)`);
        }
        if (roll < 0.45) {
          const minted = await mintWithToken(model, random);
          if (minted) await check(model, minted, `${context} (minted by ${minted.parent?.label})`);
        } else if (roll < 0.55) {
          await check(model, await mintOnPage(model, random), `${context} (minted on /account)`);
        } else if (roll < 0.6) {
          await check(model, await mintWithPassword(model, random), `${context} (minted with the password)`);
        } else if (roll < 0.75) {
          const now = harness.clock.now;
          const target = (random.pick(model.tokens.filter((token) => model.alive(token, now))) ?? random.pick(model.tokens)) as ChainToken;
          expect((await send(`/api/tokens/${target.id}`, { method: "DELETE", token: observer })).status).toBe(204);
          // Revoked here, in this process: every descendant must fail on its very next request.
          for (const revoked of model.revoke(target)) expect((await send("/packages.json", { token: revoked.token })).status, `${context}: ${revoked.label} after revoking ${target.label}`).toBe(401);
        } else if (roll < 0.85) {
          const before = harness.clock.now;
          harness.clock.now += Math.floor(random.next() * 3 * 60 * 60_000);
          // Every token whose life (or an ancestor's) just ended must be refused now.
          for (const token of model.tokens.filter((entry) => model.alive(entry, before) && !model.alive(entry, harness.clock.now))) await check(model, token, `${context} (expired)`);
          for (const token of random.sample(model.tokens, 1)) await check(model, token, `${context} (sample)`);
        } else {
          const dead = random.pick(model.tokens.filter((token) => !model.alive(token, harness.clock.now) && token.rights.has("tokens")));
          if (dead) expect((await send("/api/tokens", { method: "POST", token: dead.token, body: { name: "from-the-grave" } })).status).toBe(401);
          for (const token of random.sample(model.tokens, 1)) await check(model, token, `${context} (sample)`);
        }
        // Every step checks what it touched; all tokens are checked now and then.
        if (step % 100 === 99) {
          for (const token of model.tokens) await check(model, token, `${context} (sweep)`);
          for (const token of packageTokens) await checkPackageToken(token, packageRandom, `${context} (sweep)`);
        }
      }
      // The run exercised what it claims: many tokens, and grandchildren of grandchildren.
      expect(model.tokens.length).toBeGreaterThan(STEPS / 5);
      expect(Math.max(...model.tokens.map((token) => model.ancestors(token).length))).toBeGreaterThanOrEqual(STEPS >= 100 ? 3 : 1);
      // Service-account tokens minted children of their own.
      if (STEPS >= 100) expect(model.tokens.some((token) => model.ancestors(token).at(-1)?.origin === "service")).toBe(true);
      // Package tokens were seen both alive and expired.
      if (ciIssuerUrl && STEPS >= 100) expect(packageTokens.filter((token) => token.expiresAt <= harness.clock.now).length).toBeGreaterThan(0);
    });
  });
}
