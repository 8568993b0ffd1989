// Connected organizations against a local GitHub and GitLab (test/support/forge-org-api.ts)
// answering in their documented shapes: scope checks before anything is saved, paged and
// ETag-cached listing in resumable steps, one call adding many repositories, renames followed
// by provider id, org hooks installed and removed, and signed deliveries.
import { beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { IdentityProviderStore } from "../../src/identity/identity-provider-store.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { refreshTeamsAtSignIn } from "../../src/integrations/team-sync.ts";
import type { FakeRepo, LoggedRequest } from "../support/forge-org-api.ts";
import { Client } from "./client.ts";
import { bearer, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { claimJobOf, publishVersions, workerCall } from "./worker-claims.ts";

interface Integration {
  id: number;
  sync: { state: string; error: string | null; resumeAt: string | null };
  webhook: boolean;
}

export function integrationsSuite(runtime: string, factory: HarnessFactory, forgeUrl: () => string) {
  describe(`${runtime}: organization integrations`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const control = async (path: string, body?: unknown) => {
      const response = await fetch(`${forgeUrl()}/_control/${path}`, { method: body === undefined ? "GET" : "POST", body: body === undefined ? undefined : JSON.stringify(body) });
      return response.status === 204 ? null : ((await response.json()) as unknown);
    };
    const log = async (prefix: string) => ((await control("log")) as LoggedRequest[]).filter((entry) => entry.path.startsWith(prefix));
    const org = async (repos: FakeRepo[], extra: Record<string, unknown> = {}) => {
      const name = unique("org");
      await control("org", { org: name, repos, ...extra });
      return name;
    };
    const connect = (body: Record<string, unknown>, expected = [201]) => client.api<Integration & { warning?: string; error?: { code: string; message: string } }>(admin, "POST", "/api/integrations", body, expected);
    const connectGitHub = (organization: string, extra: Record<string, unknown> = {}) => connect({ provider: "github", apiUrl: `${forgeUrl()}/gh`, organization, token: "ghp_integration_token", ...extra });
    const syncUntilSettled = async (id: number) => {
      let view: Integration = { id, sync: { state: "running", error: null, resumeAt: null }, webhook: false };
      for (let i = 0; i < 20 && (i === 0 || view.sync.state === "running"); i++) view = await client.api<Integration>(admin, "POST", `/api/integrations/${id}/sync`);
      return view;
    };
    const repositories = async (id: number) => (await client.api<{ repositories: { id: string; name: string; state: string; url: string }[] }>(admin, "GET", `/api/integrations/${id}/repositories`)).repositories;
    const hookSecret = async (organization: string) => {
      const hooks = (await control("hooks")) as Record<string, { config?: { secret: string; url: string }; token?: string }>;
      const [key, hook] = Object.entries(hooks).find(([name]) => name.includes(`:${organization}:`)) ?? [];
      return { key, secret: hook?.config?.secret ?? hook?.token ?? (hook as { secret?: string } | undefined)?.secret ?? "", url: hook?.config?.url };
    };
    /** A GitHub organization's one repository, added and published as a package, and the org hook's secret. */
    const publishedRepository = async (providerId: number, repoName: string) => {
      const name = await org([{ id: providerId, name: repoName }]);
      const { id } = await connectGitHub(name);
      await syncUntilSettled(id);
      const report = await client.api<{ added: { job: string }[] }>(admin, "POST", `/api/integrations/${id}/repositories`, { repositories: [String(providerId)] });
      const pkgName = unique(`acme/${repoName}`);
      await publishVersions(client, await claimJobOf(client, report.added[0]!.job, "w-int"), "w-int", pkgName, ["1.0.0"]);
      return { name, id, pkgName, secret: (await hookSecret(name)).secret };
    };

    beforeAll(async () => {
      harness = await factory({ allowInsecureOidcIssuers: true });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("connects a GitHub organization, installs a signed org hook, and never shows a secret back", async () => {
      const name = await org([{ id: 1, name: "lib" }]);
      const created = await connectGitHub(name);
      expect(created).toMatchObject({ provider: "github", organization: name, webhook: true, app: null });
      const { secret, url } = await hookSecret(name);
      expect(secret).toMatch(/^[0-9a-f]{64}$/);
      expect(url).toBe(`https://repo.example.test/api/integrations/${created.id}/hook`);
      const listed = JSON.stringify(await client.api(admin, "GET", "/api/integrations"));
      expect(listed).toContain(name);
      expect(listed).not.toContain("ghp_integration_token");
      expect(listed).not.toContain(secret);
    });

    it("refuses a token without a needed scope with 422 naming it, and saves and lists nothing", async () => {
      const name = await org([{ id: 1, name: "lib" }], { scopes: "repo, read:org" });
      const refused = await client.request("/api/integrations", { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ provider: "github", apiUrl: `${forgeUrl()}/gh`, organization: name, token: "ghp_narrow" }) });
      expect(refused.status).toBe(422);
      expect(((await refused.json()) as { error: { code: string; message: string } }).error).toMatchObject({ code: "missing_scope", message: expect.stringContaining('"admin:org_hook"') });
      expect(await log(`/gh/orgs/${name}/repos`)).toHaveLength(0);
      const all = await client.api<{ integrations: { organization: string }[] }>(admin, "GET", "/api/integrations");
      expect(all.integrations.map((row) => row.organization)).not.toContain(name);
    });

    it("refuses a GitLab token whose scopes lack read_repository with 422 naming it", async () => {
      const name = await org([{ id: 501, name: "lib" }], { gitlabScopes: ["read_api"] });
      const refused = await connect({ provider: "gitlab", apiUrl: `${forgeUrl()}/gl/api/v4`, organization: name, token: "glpat-narrow", webhooks: false }, [422]);
      expect(refused.error?.message).toContain('"read_repository"');
    });

    it("lists every page with composer.json checks, shows each state, and reads unchanged pages as 304 on the next run", async () => {
      const name = await org([
        { id: 11, name: "one" },
        { id: 12, name: "two" },
        { id: 13, name: "docs", composer: false },
        { id: 14, name: "old", archived: true },
        { id: 15, name: "five" },
      ]);
      const { id } = await connectGitHub(name);
      expect((await syncUntilSettled(id)).sync.state).toBe("idle");
      const states = Object.fromEntries((await repositories(id)).map((repo) => [repo.name, repo.state]));
      expect(states).toEqual({ [`${name}/one`]: "not added", [`${name}/two`]: "not added", [`${name}/docs`]: "no composer.json", [`${name}/old`]: "archived", [`${name}/five`]: "not added" });
      const pages = await log(`/gh/orgs/${name}/repos`);
      expect(pages.map((entry) => entry.status)).toEqual([200, 200, 200]);
      await syncUntilSettled(id);
      const again = (await log(`/gh/orgs/${name}/repos`)).slice(3);
      expect(again.map((entry) => entry.status)).toEqual([304, 304, 304]);
      expect(again[0]!.headers["if-none-match"]).toMatch(/^W\/"/);
    });

    it("adds many repositories in one call through create-package, and refuses unknown names without adding any", async () => {
      const name = await org([
        { id: 21, name: "alpha" },
        { id: 22, name: "beta" },
        { id: 23, name: "gamma" },
      ]);
      const { id } = await connectGitHub(name, { webhooks: false });
      await syncUntilSettled(id);
      const unknown = await client.api<{ error: { code: string } }>(admin, "POST", `/api/integrations/${id}/repositories`, { repositories: [`${name}/alpha`, `${name}/nope`] }, [400]);
      expect(unknown.error.code).toBe("unknown_repositories");
      expect((await repositories(id)).every((repo) => repo.state === "not added")).toBe(true);
      const report = await client.api<{ added: { repository: string; job: string }[] }>(admin, "POST", `/api/integrations/${id}/repositories`, { repositories: [`${name}/alpha`, "22", `${name}/gamma`] });
      expect(report.added.map((entry) => entry.repository)).toEqual([`${name}/alpha`, `${name}/beta`, `${name}/gamma`]);
      const job = await client.api<{ status: string }>(admin, "GET", `/api/jobs/${report.added[0]!.job}`);
      expect(job.status).toBe("queued");
      expect((await repositories(id)).map((repo) => repo.state)).toEqual(["added", "added", "added"]);
      // Asking again adds nothing twice.
      const again = await client.api<{ added: unknown[]; skipped: { reason: string }[] }>(admin, "POST", `/api/integrations/${id}/repositories`, { repositories: [`${name}/alpha`] });
      expect(again).toMatchObject({ added: [], skipped: [{ reason: "already added" }] });
    });

    it("resumes after a 5xx mid-sync from where it stopped, without duplicates", async () => {
      const repos = [1, 2, 3, 4, 5].map((n) => ({ id: 300 + n, name: `r${n}` }));
      const name = await org(repos);
      const { id } = await connectGitHub(name, { webhooks: false });
      await control("fault", { path: `/gh/orgs/${name}/repos?type=all&per_page=100&page=2`, status: 502 });
      const stopped = await client.api<Integration>(admin, "POST", `/api/integrations/${id}/sync`);
      expect(stopped.sync.state).toBe("waiting");
      expect(stopped.sync.error).toContain("502");
      harness.clock.now += 61_000;
      expect((await syncUntilSettled(id)).sync.state).toBe("idle");
      expect((await repositories(id)).map((repo) => repo.name).sort()).toEqual(repos.map((repo) => `${name}/${repo.name}`).sort());
      // Page 1 was read once: the run resumed at page 2.
      expect((await log(`/gh/orgs/${name}/repos`)).map((entry) => [new URL(entry.path, "http://x").searchParams.get("page") ?? "1", entry.status])).toEqual([["1", 200], ["2", 502], ["2", 200], ["3", 200]]);
    });

    it("stops on a rate limit until the provider's reset time", async () => {
      const name = await org([{ id: 401, name: "x" }]);
      const { id } = await connectGitHub(name, { webhooks: false });
      const reset = Math.floor(harness.clock.now / 1000) + 3600;
      await control("fault", { path: `/gh/orgs/${name}/repos`, status: 403, headers: { "x-ratelimit-remaining": "0", "x-ratelimit-reset": String(reset) } });
      const stopped = await client.api<Integration>(admin, "POST", `/api/integrations/${id}/sync`);
      expect(stopped.sync).toMatchObject({ state: "waiting", resumeAt: new Date(reset * 1000).toISOString() });
      const waiting = await client.api<Integration>(admin, "POST", `/api/integrations/${id}/sync`);
      expect(waiting.sync.state).toBe("waiting");
      expect(await log(`/gh/orgs/${name}/repos`)).toHaveLength(1);
      harness.clock.now = reset * 1000 + 1000;
      expect((await syncUntilSettled(id)).sync.state).toBe("idle");
    });

    it("follows a renamed repository by its provider id, and abandons the package of a deleted one", async () => {
      const name = await org([
        { id: 601, name: "before" },
        { id: 602, name: "doomed" },
      ]);
      const { id } = await connectGitHub(name, { webhooks: false });
      await syncUntilSettled(id);
      const report = await client.api<{ added: { job: string }[] }>(admin, "POST", `/api/integrations/${id}/repositories`, { repositories: ["601", "602"] });
      const [renamed, doomed] = [unique("acme/renamed"), unique("acme/doomed")];
      await publishVersions(client, await claimJobOf(client, report.added[0]!.job, "w-int"), "w-int", renamed, ["1.0.0"]);
      await publishVersions(client, await claimJobOf(client, report.added[1]!.job, "w-int"), "w-int", doomed, ["1.0.0"]);
      await control("org", { org: name, repos: [{ id: 601, name: "after" }] });
      await syncUntilSettled(id);
      const pkg = await client.api<{ repository: string; abandoned: unknown }>(admin, "GET", `/api/packages/${renamed}`);
      expect(pkg.repository).toBe(`https://github.example.test/${name}/after.git`);
      expect((await client.api<{ abandoned: unknown }>(admin, "GET", `/api/packages/${doomed}`)).abandoned).toBe(true);
      expect((await repositories(id)).find((repo) => repo.id === "601")).toMatchObject({ name: `${name}/after`, state: "added" });
    });

    it("answers 401 to a delivery with a bad signature and queues nothing; a signed push updates the package", async () => {
      const { name, id, pkgName, secret } = await publishedRepository(701, "hooked");
      const push = JSON.stringify({ ref: "refs/heads/main", after: "a".repeat(40), repository: { id: 701, full_name: `${name}/hooked` } });
      const deliver = async (signature: string) => client.request(`/api/integrations/${id}/hook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": signature }, body: push });
      const bad = await deliver(`sha256=${await hmacSha256Hex("not-the-secret", push)}`);
      expect(bad.status).toBe(401);
      expect((await deliver("")).status).toBe(401);
      const pkg = await client.api<{ id: number }>(admin, "GET", `/api/packages/${pkgName}`);
      const queued = await harness.app.services.db.orm.all<{ n: number }>(`select count(*) as n from jobs where package_id = ${pkg.id} and status = 'queued'` as never);
      expect(Number(queued[0]!.n)).toBe(0);
      const good = await deliver(`sha256=${await hmacSha256Hex(secret, push)}`);
      expect(good.status).toBe(202);
      expect(((await good.json()) as { jobs: string[] }).jobs).toHaveLength(1);
    });

    it("answers a replayed signed delivery as a duplicate and queues nothing twice, by delivery id or by body", async () => {
      const { name, id, pkgName, secret } = await publishedRepository(703, "replayed");
      const pkg = await client.api<{ id: number }>(admin, "GET", `/api/packages/${pkgName}`);
      const push = JSON.stringify({ ref: "refs/heads/main", after: "d".repeat(40), repository: { id: 703, full_name: `${name}/replayed` } });
      const signature = `sha256=${await hmacSha256Hex(secret, push)}`;
      const deliver = (delivery: string, body = push, proof = signature) =>
        client.request(`/api/integrations/${id}/hook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": delivery, "x-hub-signature-256": proof }, body });
      const packageJobs = async () => Number((await harness.app.services.db.orm.all<{ n: number }>(`select count(*) as n from jobs where package_id = ${pkg.id}` as never))[0]!.n);
      const first = await deliver("delivery-703-a");
      expect(first.status).toBe(202);
      const queued = await packageJobs();
      const [job] = ((await first.json()) as { jobs: string[] }).jobs;
      // Claimed, so a second delivery acted on would queue a new job rather than coalesce.
      await claimJobOf(client, job!, "w-int");
      for (const delivery of ["delivery-703-a", "delivery-703-b"]) {
        const replay = await deliver(delivery);
        expect(replay.status).toBe(200);
        expect(await replay.json()).toMatchObject({ status: "ignored", duplicate: true, jobs: [] });
      }
      expect(await packageJobs()).toBe(queued);
      // A new push (another body, another delivery) is acted on; a bad signature records nothing.
      const next = push.replace("d".repeat(40), "e".repeat(40));
      expect((await deliver("delivery-703-c", next, "sha256=" + "0".repeat(64))).status).toBe(401);
      expect((await deliver("delivery-703-c", next, `sha256=${await hmacSha256Hex(secret, next)}`)).status).toBe(202);
    });

    it("hands an org hook's pull request to the lock review, and a default-branch push to monitoring, through the integration's token", async () => {
      const { name, id, pkgName, secret } = await publishedRepository(702, "reviewed");
      const repository = { id: 702, full_name: `${name}/reviewed` };
      const deliver = async (event: string, payload: unknown) => {
        const body = JSON.stringify(payload);
        const response = await client.request(`/api/integrations/${id}/hook`, { method: "POST", headers: { "content-type": "application/json", "x-github-event": event, "x-hub-signature-256": `sha256=${await hmacSha256Hex(secret, body)}` }, body });
        expect(response.status).toBe(202);
        return ((await response.json()) as { jobs: string[] }).jobs;
      };
      // Each delivery is a new push (another head), as the replay guard would drop a repeated body.
      const pullRequest = (head: string) => ({ action: "synchronize", number: 5, pull_request: { number: 5, head: { sha: head.repeat(40) }, base: { sha: "b".repeat(40) } }, repository });
      const push = (after: string) => ({ ref: "refs/heads/main", after: after.repeat(40), repository });
      // Not asked for: no review, and a push only updates the package.
      expect(await deliver("pull_request", pullRequest("a"))).toEqual([]);
      expect(await deliver("push", push("c"))).toHaveLength(1);
      await client.api(admin, "PUT", `/api/packages/${pkgName}`, { reviewLockFiles: true, application: true });
      const [review] = await deliver("pull_request", pullRequest("f"));
      const jobs = await deliver("push", push("e"));
      expect(jobs).toHaveLength(2);
      // The fake organization API has no composer.lock: each job finishes finding none, having
      // asked for it in the right repository, with the integration's token.
      const settled = async (job: string) => {
        for (let i = 0; i < 50; i++) {
          const view = await client.api<{ kind: string; status: string; result?: Record<string, unknown> }>(admin, "GET", `/api/jobs/${job}`);
          if (view.status !== "running") return view;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
        throw new Error(`job ${job} never finished`);
      };
      expect(await settled(review!)).toMatchObject({ kind: "lock-review", status: "done", result: { status: "no-lock-file" } });
      expect(await settled(jobs[0]!)).toMatchObject({ kind: "security-check", status: "done", result: { branch: "main", lockFile: false } });
      const asked = await log(`/gh/repos/${name}/reviewed/contents/composer.lock`);
      expect(asked.length).toBeGreaterThanOrEqual(3);
      for (const request of asked) expect(request.headers.authorization).toContain("ghp_integration_token");
    });

    it("removes the organization hook when the integration is removed", async () => {
      const name = await org([]);
      const { id } = await connectGitHub(name);
      expect((await hookSecret(name)).key).toBeDefined();
      await client.api(admin, "DELETE", `/api/integrations/${id}`);
      expect((await hookSecret(name)).key).toBeUndefined();
      await client.api(admin, "GET", `/api/integrations/${id}`, undefined, [404]);
      await client.request(`/api/integrations/${id}/hook`, { method: "POST", body: "{}" }).then((response) => expect(response.status).toBe(404));
    });

    // One App key pair for the suite: the local GitHub verifies every App JWT with the first key it was given.
    let appKeys: Promise<{ privateKey: string; appPublicKey: string }> | undefined;
    const appKeyPair = () =>
      (appKeys ??= (async () => {
        const pair = (await crypto.subtle.generateKey({ name: "RSASSA-PKCS1-v1_5", modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: "SHA-256" }, true, ["sign", "verify"])) as CryptoKeyPair;
        const pem = (label: string, der: ArrayBuffer) => `-----BEGIN ${label}-----\n${btoa(String.fromCharCode(...new Uint8Array(der))).match(/.{1,64}/g)!.join("\n")}\n-----END ${label}-----\n`;
        return { privateKey: pem("PRIVATE KEY", (await crypto.subtle.exportKey("pkcs8", pair.privateKey)) as ArrayBuffer), appPublicKey: pem("PUBLIC KEY", (await crypto.subtle.exportKey("spki", pair.publicKey)) as ArrayBuffer) };
      })());

    it("connects through a GitHub App: an RS256 JWT buys an installation token; a missing permission is a 422", async () => {
      const { privateKey, appPublicKey } = await appKeyPair();
      const name = await org([{ id: 801, name: "app-repo" }], { appPublicKey, appPermissions: { contents: "read", metadata: "read" } });
      // The local GitHub dates its tokens by the real clock (earlier tests moved this one on).
      harness.clock.now = Date.now();
      const app = { appId: "12345", installationId: "678", privateKey };
      const refused = await connect({ provider: "github", apiUrl: `${forgeUrl()}/gh`, organization: name, app }, [422]);
      expect(refused.error?.message).toContain('"organization_hooks: write"');
      const created = await connect({ provider: "github", apiUrl: `${forgeUrl()}/gh`, organization: name, app, webhooks: false });
      expect(created).toMatchObject({ app: { appId: "12345", installationId: "678" } });
      expect((await syncUntilSettled(created.id)).sync.state).toBe("idle");
      const listing = (await log(`/gh/orgs/${name}/repos`)).at(-1)!;
      expect(listing.headers.authorization).toMatch(/^Bearer ghs_installation_/);
      // The installation token is kept until ten minutes before it expires, then minted again.
      const minted = async () => (await log("/gh/app/installations/678/access_tokens")).filter((entry) => entry.status === 201).length;
      const before = await minted();
      await syncUntilSettled(created.id);
      expect(await minted()).toBe(before);
      harness.clock.now = Date.now() + 55 * 60_000;
      await syncUntilSettled(created.id);
      expect(await minted()).toBe(before + 1);
    });

    it("mints a GitHub App's installation token again from the scheduler before it expires, so a job that waited an hour clones with a live one", async () => {
      const { privateKey, appPublicKey } = await appKeyPair();
      const name = await org([{ id: 802, name: "queued" }], { appPublicKey });
      harness.clock.now = Date.now();
      const created = await connect({ provider: "github", apiUrl: `${forgeUrl()}/gh`, organization: name, app: { appId: "12345", installationId: "678", privateKey }, webhooks: false });
      await syncUntilSettled(created.id);
      const report = await client.api<{ added: { job: string }[] }>(admin, "POST", `/api/integrations/${created.id}/repositories`, { repositories: ["802"] });
      const job = report.added[0]!.job;
      // The local GitHub names each token by the real time it minted it.
      const mintedAt = (token: string) => Number(/^ghs_installation_(\d+)$/.exec(token)?.[1]);
      // Nothing due yet: the token minted at connection is kept.
      const connectedAt = Date.now();
      expect((await runScheduledWork(harness.app.services)).appTokens).toBe(0);
      // Fifty-five minutes on, nothing else touched the integration: the scheduler mints one.
      harness.clock.now = Date.now() + 55 * 60_000;
      expect((await runScheduledWork(harness.app.services)).appTokens).toBeGreaterThanOrEqual(1);
      const claimed = await claimJobOf(client, job, "w-int");
      const context = await client.request(`/api/worker/jobs/${claimed}/context?workerId=w-int`, { headers: bearer(TEST_CONFIG.workerToken) });
      expect(context.status).toBe(200);
      const { credentials } = (await context.json()) as { credentials: { secret: string } };
      expect(mintedAt(credentials.secret)).toBeGreaterThanOrEqual(connectedAt);
      await workerCall(client, `/jobs/${claimed}/finish`, { workerId: "w-int", status: "done", result: {} });
    });

    it("pages a GitLab group by x-next-page, and hooks each added project where the group has no hook", async () => {
      const name = await org([1, 2, 3].map((n) => ({ id: 900 + n, name: `p${n}` })), { groupHooks: false });
      const created = await connect({ provider: "gitlab", apiUrl: `${forgeUrl()}/gl/api/v4`, organization: name, token: "glpat-integration" });
      // GitLab Free has no group hooks: the integration says so and syncs on the schedule.
      expect(created.webhook).toBe(false);
      expect(created.warning).toContain("no organization webhook");
      expect((await syncUntilSettled(created.id)).sync.state).toBe("idle");
      expect((await repositories(created.id)).map((repo) => repo.state)).toEqual(["not added", "not added", "not added"]);
      expect((await log(`/gl/api/v4/groups/${name}/projects`)).map((entry) => new URL(entry.path, "http://x").searchParams.get("page") ?? "1")).toEqual(["1", "2"]);

      // Instead of a group hook, each added project gets a project hook with the integration's secret.
      await client.api(admin, "POST", `/api/integrations/${created.id}/repositories`, { repositories: ["901", "903"] });
      const projectHooks = () => control("hooks").then((hooks) => Object.entries(hooks as Record<string, { token: string; merge_requests_events: boolean; url: string }>).filter(([key]) => /^gitlab-project:90[13]:/.test(key)));
      const installed = await projectHooks();
      expect(installed.map(([key]) => key.split(":")[1])).toEqual(["901", "903"]);
      expect(installed[0]![1]).toMatchObject({ token: expect.stringMatching(/^[0-9a-f]{64}$/), merge_requests_events: true, url: `https://repo.example.test/api/integrations/${created.id}/hook` });
      const push = JSON.stringify({ ref: "refs/heads/main", after: "d".repeat(40), project: { id: 901, path_with_namespace: `${name}/p1` } });
      const deliver = (token: string) => client.request(`/api/integrations/${created.id}/hook`, { method: "POST", headers: { "x-gitlab-event": "Push Hook", "x-gitlab-token": token }, body: push });
      expect((await deliver("wrong-token")).status).toBe(401);
      expect((await deliver(installed[0]![1].token)).status).toBe(202);
      await client.api(admin, "DELETE", `/api/integrations/${created.id}`);
      expect(await projectHooks()).toEqual([]);
    });

    it("syncs GitHub team members into the mapped Satchel group, on refresh and at sign-in, touching no other group", async () => {
      const name = await org([], { teams: { backend: [{ id: 5001, login: "alice" }, { id: 5003, login: "carol" }] } });
      const apiUrl = `${forgeUrl()}/ghe/api/v3`;
      const identity = await client.api<{ id: number }>(admin, "POST", "/api/identity-providers", { name: "GHE", slug: unique("ghe").toLowerCase().slice(0, 40), kind: "github", issuer: `${forgeUrl()}/ghe`, clientId: "client", clientSecret: "secret" });
      const backend = await client.api<{ id: number }>(admin, "POST", "/api/groups", { name: unique("backend"), packages: [] });
      const other = await client.api<{ id: number }>(admin, "POST", "/api/groups", { name: unique("other"), packages: [] });
      const user = async (login: string, subject: string, groups: number[]) => {
        const created = await client.api<{ id: number }>(admin, "POST", "/api/users", { username: unique(login), password: "user-password-123", roles: ["ROLE_USER"], groups });
        await new IdentityProviderStore(harness.app.services.db, harness.app.services.config.encryptionKey).link(identity.id, subject, created.id, harness.clock.now);
        return created.id;
      };
      const groupsOf = async (id: number) => (await client.api<{ groups: number[] }>(admin, "GET", `/api/users/${id}`)).groups.sort((a, b) => a - b);
      const alice = await user("alice", "5001", [other.id]);
      const bob = await user("bob", "5002", [backend.id]);

      const created = await connect({ provider: "github", apiUrl, organization: name, token: "ghp_teams", teamSync: true, webhooks: false });
      const unknownGroup = await client.api<{ error: { code: string } }>(admin, "PUT", `/api/integrations/${created.id}/teams`, { teams: [{ team: "backend", group: 999999 }] }, [400]);
      expect(unknownGroup.error.code).toBe("invalid_teams");
      await client.api(admin, "PUT", `/api/integrations/${created.id}/teams`, { teams: [{ team: "backend", group: backend.id }] });
      expect(await client.api(admin, "POST", `/api/integrations/${created.id}/teams/refresh`)).toEqual({ changedUsers: 2 });
      expect(await groupsOf(alice)).toEqual([backend.id, other.id].sort((a, b) => a - b));
      expect(await groupsOf(bob)).toEqual([]);

      // Alice leaves the team; her next sign-in takes her out of the group, and nothing else.
      await control("org", { org: name, repos: [], teams: { backend: [{ id: 5003, login: "carol" }] } });
      const provider = (await new IdentityProviderStore(harness.app.services.db, harness.app.services.config.encryptionKey).find({ id: identity.id }))!;
      await refreshTeamsAtSignIn(harness.app.services, provider, { sub: "5001", preferred_username: "alice" }, alice);
      expect(await groupsOf(alice)).toEqual([other.id]);
    });

    it("connects a Gitea organization: a 403 names the missing scope; pages by Link; a signed org hook that goes with it", async () => {
      const repos = [1, 2, 3].map((n) => ({ id: 1100 + n, name: `g${n}`, composer: n !== 2 }));
      const name = await org(repos, { scopes: "read:repository" });
      const body = { provider: "gitea", apiUrl: `${forgeUrl()}/gt/api/v1`, organization: name, token: "gitea-token" };
      expect((await connect(body, [422])).error?.message).toContain('"write:organization"');
      await control("org", { org: name, repos, scopes: "read:repository write:organization" });
      const created = await connect(body);
      expect(created.webhook).toBe(true);
      expect((await syncUntilSettled(created.id)).sync.state).toBe("idle");
      expect((await repositories(created.id)).map((repo) => repo.state)).toEqual(["not added", "no composer.json", "not added"]);
      const { secret } = await hookSecret(name);
      const push = JSON.stringify({ ref: "refs/heads/main", after: "b".repeat(40), repository: { id: 1101, full_name: `${name}/g1` } });
      const deliver = (signature: string) => client.request(`/api/integrations/${created.id}/hook`, { method: "POST", headers: { "x-gitea-event": "push", "x-gitea-signature": signature }, body: push });
      expect((await deliver(await hmacSha256Hex("wrong", push))).status).toBe(401);
      expect((await deliver(await hmacSha256Hex(secret, push))).status).toBe(202);
      await client.api(admin, "DELETE", `/api/integrations/${created.id}`);
      expect((await hookSecret(name)).key).toBeUndefined();
    });

    it("connects a Bitbucket workspace: X-OAuth-Scopes without webhook is a 422; pages by `next`; a workspace hook removed with it", async () => {
      const repos = [1, 2, 3].map((n) => ({ id: 1200 + n, name: `b${n}` }));
      const name = await org(repos, { scopes: "repository" });
      const body = { provider: "bitbucket", apiUrl: `${forgeUrl()}/bb/2.0`, organization: name, token: "bb-token" };
      expect((await connect(body, [422])).error?.message).toContain('"webhook"');
      await control("org", { org: name, repos, scopes: "repository webhook" });
      const created = await connect(body);
      expect((await syncUntilSettled(created.id)).sync.state).toBe("idle");
      expect((await repositories(created.id)).map((repo) => [repo.id, repo.state])).toEqual([["{repo-1201}", "not added"], ["{repo-1202}", "not added"], ["{repo-1203}", "not added"]]);
      // Bitbucket Cloud sends ETags on repository listings: an unchanged page is a 304 on the next run.
      const pages = await log(`/bb/2.0/repositories/${name}?`);
      expect(pages.map((entry) => entry.status)).toEqual([200, 200]);
      await syncUntilSettled(created.id);
      const again = (await log(`/bb/2.0/repositories/${name}?`)).slice(2);
      expect(again.map((entry) => entry.status)).toEqual([304, 304]);
      expect(again[0]!.headers["if-none-match"]).toMatch(/^W\/"/);
      expect((await repositories(created.id)).map((repo) => repo.state)).toEqual(["not added", "not added", "not added"]);
      const { key, secret } = await hookSecret(name);
      expect(key).toMatch(/\{hook-\d+\}$/);
      const push = JSON.stringify({ push: { changes: [{ new: { type: "branch", name: "main", target: { hash: "c".repeat(40) } } }] }, repository: { uuid: "{repo-1201}", full_name: `${name}/b1` } });
      const delivered = await client.request(`/api/integrations/${created.id}/hook`, { method: "POST", headers: { "x-event-key": "repo:push", "x-hub-signature": `sha256=${await hmacSha256Hex(secret, push)}` }, body: push });
      expect(delivered.status).toBe(202);
      await client.api(admin, "DELETE", `/api/integrations/${created.id}`);
      expect((await hookSecret(name)).key).toBeUndefined();
    });

    it("auto-syncs on the schedule and on a signed repository event: new repositories with composer.json become packages", async () => {
      const name = await org([
        { id: 1301, name: "first" },
        { id: 1302, name: "notes", composer: false },
      ]);
      const created = await connectGitHub(name, { autoSync: true });
      const state = async () => (await client.api<Integration>(admin, "GET", `/api/integrations/${created.id}`)).sync.state;
      for (let pass = 0; pass < 10 && ((await repositories(created.id)).length === 0 || (await state()) !== "idle"); pass++) await runScheduledWork(harness.app.services);
      expect((await repositories(created.id)).map((repo) => repo.state)).toEqual(["added", "no composer.json"]);

      await control("org", { org: name, repos: [{ id: 1301, name: "first" }, { id: 1302, name: "notes", composer: false }, { id: 1303, name: "second" }] });
      const { secret } = await hookSecret(name);
      const event = JSON.stringify({ action: "created", repository: { id: 1303, full_name: `${name}/second` } });
      const delivered = await client.request(`/api/integrations/${created.id}/hook`, { method: "POST", headers: { "x-github-event": "repository", "x-hub-signature-256": `sha256=${await hmacSha256Hex(secret, event)}` }, body: event });
      expect(delivered.status).toBe(202);
      for (let i = 0; i < 100 && (await repositories(created.id)).find((repo) => repo.id === "1303")?.state !== "added"; i++) await new Promise((resolve) => setTimeout(resolve, 20));
      expect((await repositories(created.id)).find((repo) => repo.id === "1303")?.state).toBe("added");
    });

    it("refuses bad input with 400 and saves nothing", async () => {
      for (const body of [{ provider: "gitea", apiUrl: "https://gitea.example.test/api/v1", organization: "x", token: "t", teamSync: true }, { provider: "svn", organization: "x", token: "t" }, { provider: "github", organization: "x" }, { provider: "gitea", organization: "x", token: "t" }, { provider: "gitlab", organization: "x", token: "t", app: { appId: "1", installationId: "2", privateKey: "-----BEGIN PRIVATE KEY-----" } }]) {
        expect((await connect(body, [400])).error?.code).toBe("invalid_integration");
      }
    });
  });
}
