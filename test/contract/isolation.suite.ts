// The isolation property: over generated catalogs, groups, users and tokens (isolation-model.ts),
// every principal calls every read endpoint, and nothing outside the model's visible set appears
// (names, versions, descriptions, references, counts) while everything inside it does appear
// on the Composer endpoints, and Last-Modified moves only with the reader's own view. One fixed seed per CI run (a few hundred principal x endpoint
// cases); a longer run: SATCHEL_PROPERTY_RUNS=50 (seeds counted up from the fixed one), which
// `node bench/isolation-long.ts` sets.
import { describe, expect, it } from "vitest";
import { expandVersions } from "../../src/composer-rules/minify.ts";
import type { VersionEntry } from "../../src/composer-rules/version-entry.ts";
import { PageClient } from "../support/page-client.ts";
import { Client } from "./client.ts";
import { basic, type HarnessFactory } from "./harness.ts";
import { canRead, chooseArchived, expectedFor, expectedInside, generateSubrepositories, generateWorld, packageVisible, prng, type Expected, type PackageSpec, type SubrepositorySpec, type TokenSpec, type UserSpec, type World } from "./isolation-model.ts";
import { checkLastModified } from "./isolation-last-modified.ts";
import { buildSubrepositories, buildWorld } from "./isolation-world.ts";

const SEED = 20261209;
const RUNS = Math.max(1, Number((globalThis as { process?: { env: Record<string, string | undefined> } }).process?.env.SATCHEL_PROPERTY_RUNS ?? 1) || 1);

export function isolationSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: isolation property`, () => {
    for (let run = 0; run < RUNS; run++) {
      const seed = SEED + run;
      it(`shows every principal exactly its visible set (seed ${seed})`, async () => {
        const harness = await factory();
        const random = prng(seed);
        const world = generateWorld(random);
        chooseArchived(prng(seed * 11 + 3), world);
        await buildWorld(harness, random, world);
        // Drawn from their own stream, so the rest of the world stays what the seed always made.
        const subrepositories = generateSubrepositories(prng(seed * 7 + 1), world);
        await buildSubrepositories(harness, world, subrepositories);
        const client = new Client(harness.app);
        let cases = 0;
        for (const user of world.users) {
          for (const token of user.tokens) if (canRead(user, token)) cases += await checkPrincipal(client, world, user, token);
          cases += await checkPages(new PageClient(harness.app), world, user);
        }
        for (const sub of subrepositories) cases += await checkSubrepository(client, world, sub);
        cases += await checkLastModified(harness, random, world);
        // Refused credentials last: failed attempts count towards rate limits.
        for (const user of world.users) for (const token of user.tokens) if (!canRead(user, token)) cases += await checkRefused(client, world, user, token);
        // Not vacuous: some requests were made, and somebody read a package with versions hidden from them.
        expect(cases).toBeGreaterThan(20);
        const restricted = restrictedCases(world);
        console.info(JSON.stringify({ isolation: { seed, cases, partialViews: partialViews(world), ...restricted } }));
        if (run === 0) {
          expect(partialViews(world)).toBeGreaterThan(0);
          // Not vacuous either: flagged versions, sources hidden and branches or pre-releases hidden by a group.
          expect(restricted.flagged).toBeGreaterThan(0);
          expect(restricted.sourcesHidden).toBeGreaterThan(0);
          expect(restricted.hiddenByGroup).toBeGreaterThan(0);
          expect(restricted.archived).toBeGreaterThan(0);
        }
      }, 120_000 * RUNS);
    }
  });
}

async function checkPrincipal(client: Client, world: World, user: UserSpec, token: TokenSpec): Promise<number> {
  const label = `${user.username} (${user.role}${user.disabled ? ", disabled" : ""}${user.expires ? ", expired" : ""}) token ${JSON.stringify(token.scopes)}${token.expires ? " expired" : ""}${token.revoked ? " revoked" : ""}`;
  return checkReader(client, world, { label, headers: basic(user.username, token.secret), expected: expectedFor(world, user), api: expectedFor(world, user, { token }), base: "" });
}

/** Every reader inside a sub-repository: no credentials, and each user's first readable token. */
async function checkSubrepository(client: Client, world: World, sub: SubrepositorySpec): Promise<number> {
  const base = `/sub/${sub.slug}`;
  const readers = [
    { label: "no credentials", headers: {}, user: null },
    ...world.users.flatMap((user) => user.tokens.filter((token) => canRead(user, token)).slice(0, 1).map((token) => ({ label: user.username, headers: basic(user.username, token.secret), user }))),
  ];
  let cases = 0;
  for (const { label, headers, user } of readers) {
    const expected = expectedInside(world, sub, user);
    const where = `${label} in ${sub.isPublic ? "public" : "private"} ${base} ${JSON.stringify(sub.patterns)}`;
    if (expected) {
      cases += await checkReader(client, world, { label: where, headers, expected, base });
      continue;
    }
    // Refused: 401 without credentials, else the very answer an unknown sub-repository gets.
    const pkg = world.packages[0] as PackageSpec;
    for (const path of ["/packages.json", `/p2/${pkg.name}.json`, `/zipball/${pkg.name}/${pkg.versions[0]?.reference}.zip`]) {
      cases++;
      const answer = await textOf(client, `${base}${path}`, headers);
      expect((await client.request(`${base}${path}`, { headers })).status, `${where}: ${path}`).toBe(user ? 404 : 401);
      expect(answer, `${where}: ${path} answers as an unknown sub-repository`).toBe(await textOf(client, `/sub/${world.prefix}unknown${path}`, headers));
    }
  }
  return cases;
}

interface Reader {
  label: string;
  headers: Record<string, string>;
  expected: Expected;
  /** What the REST API shows (the root's only): archived packages too, to a principal with packages:write. */
  api?: Expected;
  /** "" for the root, `/sub/{slug}` inside a sub-repository. */
  base: string;
}

async function checkReader(client: Client, world: World, reader: Reader): Promise<number> {
  const { label, headers, expected, api, base } = reader;
  const mine = (names: string[]) => names.filter((name) => name.startsWith(world.prefix)).sort();
  let cases = 0;
  const read = async (path: string, status?: number, seen: Expected = expected) => {
    cases++;
    const response = await client.request(`${base}${path}`, { headers });
    const body = await response.text();
    // A 404 may repeat the name asked for (as it does for a name that never existed).
    for (const secret of seen.secrets) if (!path.includes(secret)) expect(body.includes(secret), `${label}: ${path} shows ${secret}`).toBe(false);
    if (status !== undefined) expect(response.status, `${label}: ${path}`).toBe(status);
    const isJson = response.headers.get("content-type")?.includes("json") ?? false;
    return response.status === 200 && isJson ? (JSON.parse(body) as Record<string, unknown>) : null;
  };

  const root = await read("/packages.json", 200);
  if (root) expect(mine(root["available-packages"] as string[]), `${label}: packages.json`).toEqual(expected.names);
  const list = await read("/packages/list.json", 200);
  if (list) expect(mine(list.packageNames as string[]), `${label}: list.json`).toEqual(expected.names);
  const search = await read(`/search.json?q=${world.prefix}`, 200);
  if (search) {
    const results = search.results as { name: string; description: string }[];
    expect(mine(results.map((result) => result.name)), `${label}: search.json`).toEqual(expected.names);
    for (const result of results) expectDescribedBy(expected, world, result.name, result.description, `${label}: search.json`);
  }
  const asked = world.packages.map((pkg) => `packages[]=${encodeURIComponent(pkg.name)}`).join("&");
  const advisories = await read(`/api/security-advisories?${asked}`, 200);
  if (advisories) expect(mine(Object.keys(advisories.advisories as object)), `${label}: advisories`).toEqual(expected.names);
  // The REST API and pages are the root's only.
  const listing = api ? await read("/api/packages", 200, api) : null;
  if (api && listing) {
    const packages = listing.packages as { name: string; description: string | null }[];
    expect(mine(packages.map((pkg) => pkg.name)), `${label}: /api/packages`).toEqual(api.names);
    for (const pkg of packages) expectDescribedBy(api, world, pkg.name, pkg.description, `${label}: /api/packages`);
  }
  for (const pkg of world.packages) {
    const seen = expected.visible(pkg);
    for (const dev of [false, true]) {
      const path = `/p2/${pkg.name}${dev ? "~dev" : ""}.json`;
      const p2 = await read(path, seen ? 200 : 404);
      if (!seen) expect(await textOf(client, `${base}${path}`, headers), `${label}: a hidden package answers as an unknown one`).toBe(await unknownAnswer(client, `${base}${path}`, pkg.name, headers));
      if (p2) {
        expect(versionsOf(p2, pkg.name), `${label}: p2 ${pkg.name} dev=${dev}`).toEqual(expected.versions(pkg, dev));
        const withSource = expandVersions((p2.packages as Record<string, VersionEntry[]>)[pkg.name] ?? []).filter((entry) => entry.source).map((entry) => entry.version);
        expect(withSource.sort(), `${label}: p2 ${pkg.name} dev=${dev} sources`).toEqual(expected.withSource(pkg).filter((version) => (version.startsWith("dev-") || version.endsWith("-dev")) === dev));
      }
    }
    const detail = api ? await read(`/api/packages/${pkg.name}`, api.visible(pkg) ? 200 : 404, api) : null;
    if (api && detail) {
      expect((detail.versions as { version: string }[]).map((v) => v.version).sort(), `${label}: /api/packages/${pkg.name}`).toEqual(api.versions(pkg, null));
      expectDescribedBy(api, world, pkg.name, detail.description as string | null, `${label}: /api/packages/${pkg.name}`);
    }
    for (const version of pkg.versions) {
      // Every known reference, other customers' and superseded ones included; flagged ones 410 to who would see them.
      await read(`/zipball/${pkg.name}/${version.reference}.zip`, expected.zipball(pkg, version));
    }
  }
  return cases;
}

/** A token that reads nothing: refused on every kind of endpoint, and shows nothing of the catalog. */
async function checkRefused(client: Client, world: World, user: UserSpec, token: TokenSpec): Promise<number> {
  const headers = basic(user.username, token.secret);
  const everything = world.packages.flatMap((pkg) => [pkg.name, ...pkg.versions.flatMap((v) => [v.description, v.reference])]);
  const pkg = world.packages[0] as PackageSpec;
  const paths = ["/packages.json", "/packages/list.json", `/search.json?q=${world.prefix}`, "/api/packages", `/p2/${pkg.name}.json`, `/zipball/${pkg.name}/${pkg.versions[0]?.reference}.zip`];
  for (const path of paths) {
    const response = await client.request(path, { headers });
    const body = await response.text();
    // 429: failed attempts are rate-limited, which refuses as well.
    expect([401, 403, 429], `${user.username} ${JSON.stringify(token)}: ${path}`).toContain(response.status);
    for (const secret of everything) expect(body.includes(secret), `${path} shows ${secret} to a refused token`).toBe(false);
  }
  return paths.length;
}

/** How many (reader, package) pairs see some but not all of a package's versions. */
function partialViews(world: World): number {
  let count = 0;
  for (const user of world.users) {
    if (!user.tokens.some((token) => canRead(user, token))) continue;
    const expected = expectedFor(world, user);
    for (const pkg of world.packages) {
      const shown = expected.versions(pkg, null).length;
      if (expected.visible(pkg) && shown < pkg.versions.filter((version) => !version.superseded).length) count++;
    }
  }
  return count;
}

/** Flagged versions, (reader, version) pairs whose source or whole version a group's restriction hides, and (reader, package) pairs archiving hides. */
function restrictedCases(world: World): { flagged: number; sourcesHidden: number; hiddenByGroup: number; archived: number } {
  const flagged = world.packages.flatMap((pkg) => pkg.versions.filter((version) => version.flagged && !version.superseded)).length;
  let sourcesHidden = 0;
  let hiddenByGroup = 0;
  let archived = 0;
  const unrestricted = (group: World["groups"][number]) => ({ ...group, hideSources: false, hideDev: false, stableOnly: false });
  const open: World = { ...world, groups: world.groups.map(unrestricted) };
  for (const user of world.users) {
    if (!user.tokens.some((token) => canRead(user, token))) continue;
    const expected = expectedFor(world, user);
    const withoutRestrictions = expectedFor(open, user);
    for (const pkg of world.packages) {
      sourcesHidden += expected.versions(pkg, null).length - expected.withSource(pkg).length;
      hiddenByGroup += withoutRestrictions.versions(pkg, null).length - expected.versions(pkg, null).length;
      // Readers who would see an archived package were it not archived.
      if (pkg.archived && packageVisible(world, user, { ...pkg, archived: false })) archived++;
    }
  }
  return { flagged, sourcesHidden, hiddenByGroup, archived };
}

async function textOf(client: Client, path: string, headers: Record<string, string>): Promise<string> {
  return (await client.request(path, { headers })).text();
}

/** The body for the same path with a name that never existed, written back with the asked name. */
async function unknownAnswer(client: Client, path: string, name: string, headers: Record<string, string>): Promise<string> {
  const unknown = `${name.split("/")[0]}/never-existed`;
  return (await textOf(client, path.replace(name, unknown), headers)).replaceAll(unknown, name);
}

/** A description shown for a package is one of its visible versions' (or none). */
function expectDescribedBy(expected: Expected, world: World, name: string, description: string | null, label: string): void {
  const pkg = world.packages.find((candidate) => candidate.name === name);
  if (!pkg || !description) return;
  expect(expected.descriptions(pkg), `${label}: ${name} described as ${description}`).toContain(description);
}

function versionsOf(p2: Record<string, unknown>, name: string): string[] {
  const entries = ((p2.packages as Record<string, { version?: string }[]>)[name] ?? []).map((entry) => entry.version ?? "?");
  return entries.sort();
}

/** The customer's own page, signed in with a form and CSRF: their packages and nothing else. */
async function checkPages(pages: PageClient, world: World, user: UserSpec): Promise<number> {
  if (user.role === "ROLE_MAINTAINER" || user.disabled || user.expires) return 0;
  const expected = expectedFor(world, user);
  const login = await pages.login(user.username, user.password);
  expect(login.status, `${user.username}: sign-in`).toBe(303);
  for (const path of ["/", "/my-packages"]) {
    const body = await allPages(pages, path);
    for (const name of expected.names) expect(body, `${user.username}: ${path} lists ${name}`).toContain(name);
    for (const secret of expected.secrets) expect(body.includes(secret), `${user.username}: ${path} shows ${secret}`).toBe(false);
  }
  return 2;
}

/** A paginated list read to its end (other suites' packages may share the database). */
async function allPages(pages: PageClient, path: string): Promise<string> {
  let body = "";
  for (let next: string | undefined = path, count = 0; next; count++) {
    expect(count, `${path}: too many pages`).toBeLessThan(100);
    const page = await pages.get(next);
    expect(page.status).toBe(200);
    body += page.body;
    next = /<a [^>]*href="([^"]+)" rel="next"/.exec(page.body)?.[1]?.replaceAll("&amp;", "&");
  }
  return body;
}
