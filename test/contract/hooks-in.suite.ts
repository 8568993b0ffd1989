// Incoming hooks from GitHub, GitLab, Gitea/Forgejo and Bitbucket: signatures checked against
// stored secrets, replays ignored, packages found by any spelling of their repository URL, one
// queued job per package, and a clear 4xx (with nothing queued) for everything else.
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../src/db/schema.ts";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { Client } from "./client.ts";
import { bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

export function incomingHooksSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: incoming webhooks`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let integrationSecret: string;

    const vcsPackage = async (repository: string) => {
      const name = `acme/${unique("hooked")}`;
      return createPackageRow(harness.app.services, { name, kind: "vcs", repository });
    };
    const jobCount = async (packageId?: number) => {
      const where = packageId === undefined ? sql`1 = 1` : eq(jobs.packageId, packageId);
      return Number((await harness.app.services.db.orm.select({ n: sql<number>`count(*)` }).from(jobs).where(where).get())?.n ?? 0);
    };
    const post = async (path: string, body: string, headers: Record<string, string>) => client.request(path, { method: "POST", headers: { "content-type": "application/json", ...headers }, body });
    const github = async (event: string, payload: unknown, secret: string | null, delivery = crypto.randomUUID()) => {
      const body = JSON.stringify(payload);
      const signature: Record<string, string> = secret === null ? {} : { "x-hub-signature-256": `sha256=${await hmacSha256Hex(secret, body)}` };
      return post("/api/github", body, { "x-github-event": event, "x-github-delivery": delivery, ...signature });
    };
    const githubPush = (owner: string, repo: string) => ({
      ref: "refs/tags/v1.0.0",
      repository: { full_name: `${owner}/${repo}`, clone_url: `https://github.com/${owner}/${repo}.git`, ssh_url: `git@github.com:${owner}/${repo}.git`, html_url: `https://github.com/${owner}/${repo}` },
    });

    beforeAll(async () => {
      harness = await factory({ webhooks: { maxBodyBytes: 64 * 1024 } });
      client = new Client(harness.app);
      admin = await client.adminToken();
      integrationSecret = (await client.api<{ secret: string }>(admin, "POST", "/api/webhook-secrets", { name: "all of github", provider: "github" })).secret;
    });

    it("queues an update for a GitHub push signed with the secret, whatever spelling the package was added with", async () => {
      const repo = unique("lib");
      const pkg = await vcsPackage(`git@GitHub.com:Acme/${repo}.git`);
      const response = await github("push", githubPush("acme", repo), integrationSecret);
      expect(response.status).toBe(202);
      const body = await json<{ status: string; jobs: string[] }>(response);
      expect(body.status).toBe("success");
      expect(body.jobs).toHaveLength(1);
      const job = await client.api<{ status: string; kind: string; packageId: number }>(admin, "GET", `/api/jobs/${body.jobs[0]}`);
      expect(job).toMatchObject({ status: "queued", kind: "update-package", packageId: pkg.id });
      // More hooks while it waits coalesce into the same job.
      const again = await json<{ jobs: string[] }>(await github("create", { ...githubPush("acme", repo), ref_type: "tag" }, integrationSecret));
      expect(again.jobs).toEqual(body.jobs);
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("finds a package whose repository name is longer than D1's 50-byte LIKE pattern limit", async () => {
      const repo = `${unique("a-repository-name-well-over-fifty-bytes-long")}-${"x".repeat(30)}`;
      expect(repo.length).toBeGreaterThan(50);
      const pkg = await vcsPackage(`https://github.com/acme/${repo}.git`);
      const response = await github("push", githubPush("acme", repo), integrationSecret);
      expect(response.status).toBe(202);
      expect((await json<{ jobs: string[] }>(response)).jobs).toHaveLength(1);
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("refuses a wrong or missing signature with 401 and queues nothing", async () => {
      const repo = unique("lib");
      const pkg = await vcsPackage(`https://github.com/acme/${repo}`);
      for (const secret of [null, "not-the-secret-not-the-secret", `${integrationSecret}x`]) {
        const response = await github("push", githubPush("acme", repo), secret);
        expect(response.status, String(secret)).toBe(401);
        expect((await json<{ error: { message: string } }>(response)).error.message).toMatch(/X-Hub-Signature-256/);
      }
      const body = JSON.stringify(githubPush("acme", repo));
      const tampered = await post("/api/github", body.replace("v1.0.0", "v6.6.6"), { "x-github-event": "push", "x-hub-signature-256": `sha256=${await hmacSha256Hex(integrationSecret, body)}` });
      expect(tampered.status).toBe(401);
      expect(await jobCount(pkg.id)).toBe(0);
    });

    it("ignores a replayed delivery", async () => {
      const repo = unique("lib");
      const pkg = await vcsPackage(`https://github.com/acme/${repo}.git`);
      const delivery = crypto.randomUUID();
      expect((await github("push", githubPush("acme", repo), integrationSecret, delivery)).status).toBe(202);
      await harness.app.services.db.orm.update(jobs).set({ status: "done" }).where(eq(jobs.packageId, pkg.id));
      const replay = await github("push", githubPush("acme", repo), integrationSecret, delivery);
      expect(replay.status).toBe(200);
      expect(await json(replay)).toMatchObject({ status: "ignored", jobs: [] });
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("ignores a signed payload replayed under a new delivery id, and queues no job", async () => {
      const repo = unique("lib");
      const pkg = await vcsPackage(`https://github.com/acme/${repo}.git`);
      expect((await github("push", githubPush("acme", repo), integrationSecret)).status).toBe(202);
      await harness.app.services.db.orm.update(jobs).set({ status: "done" }).where(eq(jobs.packageId, pkg.id));
      const replay = await github("push", githubPush("acme", repo), integrationSecret, crypto.randomUUID());
      expect(replay.status).toBe(200);
      expect(await json(replay)).toMatchObject({ status: "ignored", duplicate: true, jobs: [] });
      expect(await jobCount(pkg.id)).toBe(1);
      // A new push to the same repository is not a replay.
      expect((await github("push", { ...githubPush("acme", repo), ref: "refs/tags/v1.0.1" }, integrationSecret)).status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(2);
    });

    it("still acts on repeated token-authenticated hooks with the same body (CI triggers)", async () => {
      const repo = unique("lib");
      const pkg = await vcsPackage(`https://github.com/acme/${repo}.git`);
      const body = JSON.stringify(githubPush("acme", repo));
      for (let i = 0; i < 2; i++) {
        expect((await post("/api/github", body, { "x-github-event": "push", "x-github-delivery": crypto.randomUUID(), ...bearer(admin) })).status).toBe(202);
        await harness.app.services.db.orm.update(jobs).set({ status: "done" }).where(eq(jobs.packageId, pkg.id));
      }
      expect(await jobCount(pkg.id)).toBe(2);
    });

    it("authorizes a package secret for its own package only", async () => {
      const [mine, theirs] = [unique("mine"), unique("theirs")];
      const own = await vcsPackage(`https://github.com/acme/${mine}.git`);
      const other = await vcsPackage(`https://github.com/acme/${theirs}.git`);
      const { secret } = await client.api<{ secret: string }>(admin, "POST", "/api/webhook-secrets", { package: own.name });
      expect((await github("push", githubPush("acme", mine), secret)).status).toBe(202);
      expect((await github("push", githubPush("acme", theirs), secret)).status).toBe(401);
      expect(await jobCount(other.id)).toBe(0);
    });

    it("answers ping, and refuses unknown events, bad bodies and unknown repositories with nothing queued", async () => {
      const before = await jobCount();
      expect((await github("ping", { zen: "Keep it logically awesome.", hook_id: 1 }, integrationSecret)).status).toBe(200);
      const unknownEvent = await github("issues", githubPush("acme", "x"), integrationSecret);
      expect(unknownEvent.status).toBe(400);
      expect((await json<{ error: { code: string; message: string } }>(unknownEvent)).error).toMatchObject({ code: "unsupported_event", message: expect.stringContaining("push") });
      const notJson = await post("/api/github", "this is not json", { "x-github-event": "push", "x-hub-signature-256": `sha256=${await hmacSha256Hex(integrationSecret, "this is not json")}` });
      expect(notJson.status).toBe(400);
      const huge = JSON.stringify({ ...githubPush("acme", "x"), padding: "x".repeat(70 * 1024) });
      expect((await post("/api/github", huge, { "x-github-event": "push" })).status).toBe(413);
      expect((await post("/api/github", JSON.stringify({ repository: {} }), { "x-github-event": "push" })).status).toBe(400);
      const unknownRepo = await github("push", githubPush("nobody", unique("nothing")), integrationSecret);
      expect(unknownRepo.status).toBe(404);
      expect((await json<{ error: { message: string } }>(unknownRepo)).error.message).toMatch(/No package is registered/);
      expect((await github("push", githubPush("nobody", unique("nothing")), "guess-guess-guess-guess")).status).toBe(401);
      expect(await jobCount()).toBe(before);
    });

    it("reads GitHub's form-encoded payloads", async () => {
      const repo = unique("form");
      const pkg = await vcsPackage(`https://github.com/acme/${repo}`);
      const body = new URLSearchParams({ payload: JSON.stringify(githubPush("acme", repo)) }).toString();
      const response = await post("/api/github", body, {
        "content-type": "application/x-www-form-urlencoded",
        "x-github-event": "push",
        "x-hub-signature-256": `sha256=${await hmacSha256Hex(integrationSecret, body)}`,
      });
      expect(response.status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("takes GitLab push and tag push hooks with X-Gitlab-Token", async () => {
      const repo = unique("gl");
      const pkg = await vcsPackage(`https://gitlab.example.test/group/sub/${repo}.git`);
      const { secret } = await client.api<{ secret: string }>(admin, "POST", "/api/webhook-secrets", { package: pkg.name, provider: "gitlab" });
      const payload = JSON.stringify({ object_kind: "tag_push", ref: "refs/tags/v1.0.0", project: { git_http_url: `https://gitlab.example.test/group/sub/${repo}.git`, git_ssh_url: `git@gitlab.example.test:group/sub/${repo}.git` } });
      const send = (event: string, token: string | null, uuid = crypto.randomUUID()) =>
        post("/api/gitlab", payload, { "x-gitlab-event": event, "x-gitlab-event-uuid": uuid, ...(token ? { "x-gitlab-token": token } : {}) });
      expect((await send("Tag Push Hook", "wrong-token-wrong-token")).status).toBe(401);
      expect((await send("Tag Push Hook", null)).status).toBe(401);
      expect((await send("Issue Hook", secret)).status).toBe(400);
      expect(await jobCount(pkg.id)).toBe(0);
      expect((await send("Tag Push Hook", secret)).status).toBe(202);
      expect((await send("Push Hook", secret)).status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("takes Gitea and Forgejo pushes signed with X-Gitea-Signature / X-Forgejo-Signature", async () => {
      const repo = unique("gt");
      const pkg = await vcsPackage(`ssh://git@gitea.example.test:2222/acme/${repo}.git`);
      const { secret } = await client.api<{ secret: string }>(admin, "POST", "/api/webhook-secrets", { package: pkg.name, provider: "gitea" });
      const body = JSON.stringify({ ref: "refs/heads/main", repository: { clone_url: `https://gitea.example.test/acme/${repo}.git`, ssh_url: `ssh://git@gitea.example.test:2222/acme/${repo}.git` } });
      const signature = await hmacSha256Hex(secret, body);
      expect((await post("/api/gitea", body, { "x-gitea-event": "push", "x-gitea-delivery": crypto.randomUUID(), "x-gitea-signature": `${signature[0] === "0" ? "1" : "0"}${signature.slice(1)}` })).status).toBe(401);
      expect((await post("/api/gitea", body, { "x-gitea-event": "push", "x-gitea-delivery": crypto.randomUUID(), "x-gitea-signature": signature })).status).toBe(202);
      await harness.app.services.db.orm.update(jobs).set({ status: "done" }).where(eq(jobs.packageId, pkg.id));
      // Another push (the same body again would be a replay).
      const forgejoBody = body.replace("refs/heads/main", "refs/heads/next");
      const forgejoSignature = await hmacSha256Hex(secret, forgejoBody);
      expect((await post("/api/forgejo", forgejoBody, { "x-forgejo-event": "push", "x-forgejo-delivery": crypto.randomUUID(), "x-forgejo-signature": forgejoSignature })).status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(2);
    });

    it("takes Bitbucket Cloud and Bitbucket Server pushes signed with X-Hub-Signature", async () => {
      const [cloudRepo, serverRepo] = [unique("bbc"), unique("bbs")];
      const cloud = await vcsPackage(`git@bitbucket.org:team/${cloudRepo}.git`);
      const server = await vcsPackage(`ssh://git@bitbucket.example.test:7999/proj/${serverRepo}.git`);
      const { secret } = await client.api<{ secret: string }>(admin, "POST", "/api/webhook-secrets", { provider: "bitbucket" });
      const send = async (event: string, payload: unknown, key = secret) => {
        const body = JSON.stringify(payload);
        return post("/api/bitbucket", body, { "x-event-key": event, "x-request-uuid": crypto.randomUUID(), "x-hub-signature": `sha256=${await hmacSha256Hex(key, body)}` });
      };
      const cloudPush = { repository: { full_name: `team/${cloudRepo}`, links: { html: { href: `https://bitbucket.org/team/${cloudRepo}` } } }, push: { changes: [{ new: { type: "tag", name: "v1.0.0" }, old: null }] } };
      expect((await send("repo:push", cloudPush, "wrong-secret-wrong-secret")).status).toBe(401);
      expect((await send("repo:push", cloudPush)).status).toBe(202);
      const serverPush = {
        eventKey: "repo:refs_changed",
        repository: { slug: serverRepo, project: { key: "PROJ" }, links: { clone: [{ href: `https://bitbucket.example.test/scm/proj/${serverRepo}.git`, name: "http" }, { href: `ssh://git@bitbucket.example.test:7999/proj/${serverRepo}.git`, name: "ssh" }] } },
        changes: [{ ref: { id: "refs/tags/v1.0.0", type: "TAG" }, type: "ADD" }],
      };
      expect((await send("repo:refs_changed", serverPush)).status).toBe(202);
      expect((await send("diagnostics:ping", { test: true })).status).toBe(200);
      expect((await send("pr:opened", serverPush)).status).toBe(400);
      expect([await jobCount(cloud.id), await jobCount(server.id)]).toEqual([1, 1]);
    });
  });
}
