// Trusted publishing: a CI job's OIDC token (GitHub Actions and GitLab CI shapes, signed by a
// local issuer whose keys are served as JWKS) becomes a 15-minute token that may upload to and
// update one package and do nothing else; every token that should not be trusted gets 403 and
// no token is issued.
import { beforeAll, describe, expect, it } from "vitest";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { Client } from "./client.ts";
import { ciToken, githubJob, gitlabJob, type CiJob } from "./ci-tokens.ts";
import { bearer, json, packageZip, unique, type Harness, type HarnessFactory } from "./harness.ts";

const AUDIENCE = "https://repo.example.test";
const MINUTE = 60_000;

export function trustedPublishingSuite(runtime: string, factory: HarnessFactory, issuerUrl: () => string) {
  describe(`${runtime}: trusted publishing`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let addresses = 0;
    // Many answers are 403 on purpose: a fresh address each keeps the failure limit (429) away.
    const from = () => ({ "cf-connecting-ip": `198.18.${(++addresses >> 8) & 255}.${addresses & 255}` });
    const issuer = (name: string) => `${issuerUrl()}/${name}`;
    const send = (path: string, init: { method?: string; token?: string; body?: unknown } = {}) =>
      client.request(path, {
        method: init.method ?? "GET",
        headers: { ...from(), ...(init.token ? bearer(init.token) : {}), "content-type": "application/json" },
        body: init.body === undefined ? undefined : JSON.stringify(init.body),
      });
    const exchange = (token: string, extra: Record<string, unknown> = {}) => send("/api/oidc/token", { method: "POST", body: { token, ...extra } });
    const sign = (job: CiJob, options: Parameters<typeof ciToken>[3] = {}) => ciToken(issuerUrl(), job, harness.clock.now, options);
    const declare = (body: Record<string, unknown>, token = admin) => client.api<{ id: number }>(token, "POST", "/api/trusted-publishers", body);
    const adminTokenCount = async () => (await client.api<{ tokens: unknown[] }>(admin, "GET", "/api/tokens")).tokens.length;
    /** A package and a GitHub repository trusted to publish it from tags. */
    const githubPublisher = async () => {
      const name = `acme/${unique("tp")}`;
      const repository = `acme/${unique("repo")}`;
      await declare({ package: name, issuer: issuer("github"), audience: AUDIENCE, claims: { repository, ref: "refs/tags/*" } });
      return { name, repository };
    };

    beforeAll(async () => {
      harness = await factory({ allowInsecureOidcIssuers: true });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("exchanges a GitHub Actions token for a 15-minute token that uploads that package", async () => {
      const { name, repository } = await githubPublisher();
      const response = await exchange(await sign(githubJob(repository, "refs/tags/v1.0.0", AUDIENCE)));
      expect(response.status).toBe(201);
      const issued = await json<{ token: string; expiresAt: string; package: string }>(response);
      expect(issued.package).toBe(name);
      expect(Date.parse(issued.expiresAt)).toBe(harness.clock.now + 15 * MINUTE);
      expect((await client.upload(issued.token, name, "1.0.0", packageZip({ name }))).status).toBe(201);
      expect(await client.p2Versions("admin", admin, name)).toEqual(["1.0.0"]);
      // Listed to its owner, confined to the package; and it lives 15 minutes, no more.
      const listed = await client.api<{ tokens: { name: string; package?: string; scopes: string[] }[] }>(admin, "GET", "/api/tokens");
      expect(listed.tokens.find((token) => token.package === name)).toMatchObject({ scopes: ["packages:write"], name: `trusted publishing: repo:${repository}:ref:refs/tags/v1.0.0` });
      harness.clock.now += 15 * MINUTE;
      expect((await client.upload(issued.token, name, "1.0.1", packageZip({ name }))).status).toBe(401);
    });

    it("exchanges a GitLab CI id_token the same way", async () => {
      const name = `acme/${unique("tp")}`;
      const project = `acme/${unique("proj")}`;
      await declare({ package: name, issuer: issuer("gitlab"), audience: AUDIENCE, claims: { project_path: project, ref_type: "tag" } });
      const response = await exchange(await sign(gitlabJob(project, "v2.0.0", AUDIENCE)));
      expect(response.status).toBe(201);
      const { token } = await json<{ token: string }>(response);
      expect((await client.upload(token, name, "2.0.0", packageZip({ name }))).status).toBe(201);
    });

    it("gives a token that can upload or trigger an update of its package, and nothing else", async () => {
      const repository = `acme/${unique("repo")}`;
      const own = await createPackageRow(harness.app.services, { name: `acme/${unique("vcs")}`, kind: "vcs", repository: `https://git.example.test/${repository}.git` });
      const other = await createPackageRow(harness.app.services, { name: `acme/${unique("vcs")}`, kind: "vcs", repository: `https://git.example.test/acme/${unique("x")}.git` });
      await declare({ package: own.name, issuer: issuer("github"), audience: AUDIENCE, claims: { repository } });
      const { token } = await json<{ token: string }>(await exchange(await sign(githubJob(repository, "refs/heads/main", AUDIENCE))));

      const updated = await send("/api/update-package", { method: "POST", token, body: { repository: { url: `https://git.example.test/${repository}` } } });
      expect(updated.status).toBe(202);
      const [job] = (await json<{ jobs: string[] }>(updated)).jobs;
      expect((await send(`/api/jobs/${job}`, { token })).status).toBe(200);
      const otherJob = (await client.api<{ jobs: string[] }>(admin, "POST", "/api/update-package", { repository: { url: other.repository } })).jobs[0];
      // Another package's job does not exist for this token.
      expect((await send(`/api/jobs/${otherJob}`, { token })).status).toBe(404);

      const refused: [string, string, unknown?][] = [
        ["POST", "/api/update-package", { repository: { url: other.repository } }],
        ["PUT", `/api/packages/upload/${other.name}/1.0.0`],
        ["PUT", `/api/packages/${own.name}`, { abandoned: true }],
        ["DELETE", `/api/packages/${own.name}`],
        ["POST", "/api/create-package", { repository: "https://git.example.test/acme/new.git" }],
        ["GET", "/packages.json"],
        ["GET", `/p2/${own.name}.json`],
        ["GET", "/api/packages"],
        ["GET", "/api/tokens"],
        ["POST", "/api/tokens", { name: "wider", scopes: ["packages:write"] }],
        ["GET", "/api/users"],
        ["GET", "/api/trusted-publishers"],
        ["POST", "/api/trusted-publishers", { package: own.name, issuer: issuer("github"), audience: AUDIENCE, claims: { repository: "evil/repo" } }],
        ["GET", "/api/credentials"],
        ["GET", "/api/webhook-secrets"],
      ];
      for (const [method, path, body] of refused) expect((await send(path, { method, token, body })).status, `${method} ${path}`).toBe(403);
      expect((await client.api<{ name: string }>(admin, "GET", `/api/packages/${own.name}`)).name).toBe(own.name);
    });

    it("refuses, with 403 and no token, every CI token it should not trust", async () => {
      const { name, repository } = await githubPublisher();
      await declare({ package: name, issuer: issuer("keyless"), audience: AUDIENCE, claims: { repository } });
      const tag = "refs/tags/v1.0.0";
      const before = await adminTokenCount();
      const cases: [string, Promise<string>, number, string][] = [
        ["another repository", sign(githubJob(`acme/${unique("other")}`, tag, AUDIENCE)), 403, "no_matching_publisher"],
        ["a branch where tags are trusted", sign(githubJob(repository, "refs/heads/main", AUDIENCE)), 403, "no_matching_publisher"],
        ["another audience", sign(githubJob(repository, tag, "https://elsewhere.example")), 403, "no_matching_publisher"],
        ["an expired token", sign(githubJob(repository, tag, AUDIENCE), { claims: { iat: Math.floor(harness.clock.now / 1000) - 600, exp: Math.floor(harness.clock.now / 1000) - 1 } }), 403, "token_expired"],
        ["an issuer nobody trusts", sign({ ...githubJob(repository, tag, AUDIENCE), issuer: "other" }), 403, "untrusted_issuer"],
        ["an unsigned token (alg none)", sign(githubJob(repository, tag, AUDIENCE), { forge: "none" }), 403, "invalid_token"],
        ["an HS256 token keyed with the public JWK", sign(githubJob(repository, tag, AUDIENCE), { forge: "hs256" }), 403, "invalid_token"],
        ["a key the issuer does not publish", sign(githubJob(repository, tag, AUDIENCE), { forge: "unlisted-key" }), 403, "invalid_token"],
        ["a token without exp", sign(githubJob(repository, tag, AUDIENCE), { claims: { exp: undefined } }), 403, "invalid_token"],
        ["not a JWT", Promise.resolve("not-a-jwt"), 403, "invalid_token"],
        ["an issuer whose JWKS is unreachable", sign({ ...githubJob(repository, tag, AUDIENCE), issuer: "keyless" }), 502, "issuer_unreachable"],
      ];
      for (const [what, token, status, code] of cases) {
        const response = await exchange(await token);
        expect(response.status, what).toBe(status);
        expect((await json<{ error: { code: string } }>(response)).error.code, what).toBe(code);
      }
      expect((await exchange("x", { package: "acme/other" })).status).toBe(403);
      expect((await send("/api/oidc/token", { method: "POST", body: {} })).status).toBe(400);
      expect(await adminTokenCount()).toBe(before);
    });

    it("refuses a CI token replayed after its exp", async () => {
      const { repository } = await githubPublisher();
      const token = await sign(githubJob(repository, "refs/tags/v1.2.0", AUDIENCE), { lifetimeMs: 5 * MINUTE });
      expect((await exchange(token)).status).toBe(201);
      harness.clock.now += 5 * MINUTE;
      const replayed = await exchange(token);
      expect(replayed.status).toBe(403);
      expect((await json<{ error: { code: string } }>(replayed)).error.code).toBe("token_expired");
    });

    it("asks which package when one CI identity may publish several, and stops when the declarer may no longer publish", async () => {
      const repository = `acme/${unique("repo")}`;
      const [first, second] = [`acme/${unique("tp")}`, `acme/${unique("tp")}`];
      const maintainer = await client.customer(admin, { roles: ["ROLE_MAINTAINER"] });
      await declare({ package: first, issuer: issuer("github"), audience: AUDIENCE, claims: { repository } }, maintainer.token);
      await declare({ package: second, issuer: issuer("github"), audience: AUDIENCE, claims: { repository } }, maintainer.token);
      const token = await sign(githubJob(repository, "refs/tags/v1.0.0", AUDIENCE));
      expect((await exchange(token)).status).toBe(400);
      const chosen = await exchange(token, { package: second });
      expect(chosen.status).toBe(201);
      const { token: issued } = await json<{ token: string }>(chosen);
      expect((await client.upload(issued, second, "1.0.0", packageZip({ name: second }))).status).toBe(201);
      await client.api(admin, "PUT", `/api/users/${maintainer.id}`, { roles: ["ROLE_USER"] });
      expect((await client.upload(issued, second, "1.0.1", packageZip({ name: second }))).status).toBe(403);
      expect((await exchange(token, { package: second })).status).toBe(403);
    });

    it("lets admins and maintainers declare trust, and refuses declarations that would trust too much", async () => {
      const name = `acme/${unique("tp")}`;
      const good = { package: name, issuer: `${issuer("github")}/`, audience: AUDIENCE, claims: { repository: "acme/lib", ref: "refs/tags/*" } };
      const customer = await client.customer(admin);
      expect((await send("/api/trusted-publishers", { method: "POST", token: customer.token, body: good })).status).toBe(403);
      expect((await send("/api/trusted-publishers", { method: "POST", body: good })).status).toBe(401);
      const bad: [string, Record<string, unknown>][] = [
        ["no exact claim", { ...good, claims: { repository: "acme/*" } }],
        ["no claims", { ...good, claims: {} }],
        ["claims as a list", { ...good, claims: ["repository"] }],
        ["the audience as a claim", { ...good, claims: { repository: "acme/lib", aud: "x" } }],
        ["a non-string pattern", { ...good, claims: { repository: 1 } }],
        ["an invalid package name", { ...good, package: "Acme/Lib" }],
        ["no audience", { ...good, audience: "" }],
        ["an ftp issuer", { ...good, issuer: "ftp://issuer.example" }],
        ["http on a public host", { ...good, issuer: "http://issuer.example" }],
        ["an issuer with credentials", { ...good, issuer: "https://user:pw@issuer.example" }],
      ];
      for (const [what, body] of bad) expect((await send("/api/trusted-publishers", { method: "POST", token: admin, body })).status, what).toBe(400);
      const created = await declare(good);
      const listed = await client.api<{ trustedPublishers: { id: number; issuer: string; package: string }[] }>(admin, "GET", `/api/trusted-publishers?package=${name}`);
      expect(listed.trustedPublishers).toEqual([expect.objectContaining({ id: created.id, issuer: issuer("github"), package: name })]);
      expect((await send(`/api/trusted-publishers/${created.id}`, { method: "DELETE", token: admin })).status).toBe(204);
      expect((await send(`/api/trusted-publishers/${created.id}`, { method: "DELETE", token: admin })).status).toBe(404);
    });

    it("refuses an http:// issuer unless SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS is set", async () => {
      const strict = await factory();
      const strictClient = new Client(strict.app);
      const token = await strictClient.adminToken();
      const body = { package: `acme/${unique("tp")}`, issuer: issuer("github"), audience: AUDIENCE, claims: { repository: "acme/lib" } };
      const response = await strictClient.request("/api/trusted-publishers", { method: "POST", headers: bearer(token), body: JSON.stringify(body) });
      expect(response.status).toBe(400);
      expect((await json<{ error: { message: string } }>(response)).error.message).toContain("SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS");
    });
  });
}
