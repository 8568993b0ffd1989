// The Packagist-compatible update hook and API-token hooks, and the webhook secrets API.
import { eq, sql } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { jobs } from "../../src/db/schema.ts";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { decodeVcsRepository, encodeVcsRepository } from "../../src/packages/vcs-repository.ts";
import { Client } from "./client.ts";
import { basic, bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";

export function tokenHooksSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: update hooks with API tokens, and webhook secrets`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const vcsPackage = (repository: string) => createPackageRow(harness.app.services, { name: `acme/${unique("tok")}`, kind: "vcs", repository });
    const jobCount = async (packageId: number) =>
      Number((await harness.app.services.db.orm.select({ n: sql<number>`count(*)` }).from(jobs).where(eq(jobs.packageId, packageId)).get())?.n ?? 0);
    const update = (query: string, body: unknown, headers: Record<string, string> = {}) =>
      client.request(`/api/update-package${query}`, { method: "POST", headers: { "content-type": "application/json", ...headers }, body: JSON.stringify(body) });

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("queues updates for POST /api/update-package with a token in the header or the query string", async () => {
      const repo = unique("pk");
      const pkg = await vcsPackage(`https://git.example.test/acme/${repo}.git`);
      const first = await update("", { repository: { url: `https://git.example.test/acme/${repo}` } }, bearer(admin));
      expect(first.status).toBe(202);
      const { jobs: queued } = await json<{ status: string; jobs: string[] }>(first);
      expect(queued).toHaveLength(1);
      expect((await update(`?token=admin:${admin}`, { repository: { url: `git@git.example.test:acme/${repo}.git` } })).status).toBe(202);
      expect((await update(`?username=admin&apiToken=${admin}`, { project: { git_http_url: `https://GIT.example.test/acme/${repo}.git` } })).status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("finds a package whose stored repository carries Subversion or Mercurial options by its plain URL", async () => {
      const svn = await vcsPackage(encodeVcsRepository({ url: `svn://svn.example.test/${unique("svn")}`, type: "svn", paths: { "tags-path": "releases" } }));
      const hg = await vcsPackage(encodeVcsRepository({ url: `/srv/hg/${unique("hg")}`, type: "hg" }));
      for (const pkg of [svn, hg]) {
        const response = await update("", { repository: { url: decodeVcsRepository(pkg.repository as string).url } }, bearer(admin));
        expect(response.status).toBe(202);
        expect(await jobCount(pkg.id)).toBe(1);
      }
      // A new URL in the package's settings keeps its options.
      const moved = `svn://svn.example.test/${unique("moved")}`;
      const changed = await client.api<{ repository: string }>(admin, "PUT", `/api/packages/${svn.name}`, { repository: moved });
      expect(changed.repository).toBe(`${moved}#vcs=svn&tags-path=releases`);
    });

    it("refuses hooks without a valid token, customers' tokens, and payloads without a repository", async () => {
      const repo = unique("pk");
      const pkg = await vcsPackage(`https://git.example.test/acme/${repo}.git`);
      const payload = { repository: { url: `https://git.example.test/acme/${repo}.git` } };
      expect((await update("", payload)).status).toBe(401);
      expect((await update("?token=admin:not-a-token", payload)).status).toBe(401);
      const customer = await client.customer(admin, { roles: ["ROLE_FULL_CUSTOMER"] });
      expect((await update("", payload, basic(customer.username, customer.token))).status).toBe(403);
      expect((await update(`?token=${customer.username}:${customer.token}`, payload)).status).toBe(403);
      const missing = await update("", { something: "else" }, bearer(admin));
      expect(missing.status).toBe(400);
      expect((await json<{ error: { message: string } }>(missing)).error.message).toContain('{"repository": {"url"');
      expect((await update("", { repository: { url: "https://git.example.test/nobody/nothing.git" } }, bearer(admin))).status).toBe(404);
      expect(await jobCount(pkg.id)).toBe(0);
    });

    it("reads a JSON body whatever the content type says, as Packagist does (curl -d sends a form type)", async () => {
      const repo = unique("ct");
      const pkg = await vcsPackage(`https://git.example.test/acme/${repo}.git`);
      const payload = JSON.stringify({ repository: { url: `https://git.example.test/acme/${repo}.git` } });
      const send = (body: BodyInit, headers: Record<string, string> = {}) => client.request("/api/update-package", { method: "POST", headers: { ...bearer(admin), ...headers }, body });
      const asCurlSendsIt = await send(payload, { "content-type": "application/x-www-form-urlencoded" });
      expect(asCurlSendsIt.status).toBe(202);
      // Bytes: no content type at all.
      expect((await send(new TextEncoder().encode(payload))).status).toBe(202);
      // GitHub's form encoding still works.
      expect((await send(`payload=${encodeURIComponent(payload)}`, { "content-type": "application/x-www-form-urlencoded" })).status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(1);
      const notJson = await send("repository=https://git.example.test/x.git", { "content-type": "application/x-www-form-urlencoded" });
      expect(notJson.status).toBe(400);
      expect((await json<{ error: { message: string } }>(notJson)).error.message).toContain('{"repository": {"url": "<git url>"}}');
    });

    it("other endpoints read JSON whatever the content type, and name the expected shape otherwise", async () => {
      const asForm = await client.request("/api/create-package", {
        method: "POST",
        headers: { ...bearer(admin), "content-type": "application/x-www-form-urlencoded" },
        body: JSON.stringify({ repository: `https://git.example.test/acme/${unique("form")}.git` }),
      });
      expect(asForm.status).toBe(202);
      const notJson = await client.request("/api/create-package", {
        method: "POST",
        headers: { ...bearer(admin), "content-type": "application/x-www-form-urlencoded" },
        body: "repository=https://git.example.test/acme/x.git",
      });
      expect(notJson.status).toBe(400);
      expect((await json<{ error: { message: string } }>(notJson)).error.message).toMatch(/JSON object/);
    });

    it("accepts an API token on the provider endpoints too (/api/github)", async () => {
      const repo = unique("gh");
      const pkg = await vcsPackage(`https://github.com/acme/${repo}.git`);
      const response = await client.request(`/api/github?token=admin:${admin}`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "push" },
        body: JSON.stringify({ repository: { clone_url: `https://github.com/acme/${repo}.git` } }),
      });
      expect(response.status).toBe(202);
      expect(await jobCount(pkg.id)).toBe(1);
    });

    it("shows a webhook secret once, lists it without it, and keeps secrets for every package to admins", async () => {
      const pkg = await vcsPackage(`https://git.example.test/acme/${unique("s")}.git`);
      const created = await client.api<{ id: number; secret: string; package: string }>(admin, "POST", "/api/webhook-secrets", { package: pkg.name, provider: "github" });
      expect(created.secret).toMatch(/^[0-9a-f]{64}$/);
      expect(created.package).toBe(pkg.name);
      const listed = await client.api<{ secrets: { id: number; package: string | null }[] }>(admin, "GET", "/api/webhook-secrets");
      expect(listed.secrets.find((entry) => entry.id === created.id)).toMatchObject({ package: pkg.name, provider: "github" });
      expect(JSON.stringify(listed)).not.toContain(created.secret);
      const stored = await harness.app.services.db.orm.all<{ secret_enc: string }>(sql`select secret_enc from webhook_secrets where id = ${created.id}`);
      expect(stored[0]?.secret_enc).toMatch(/^v2\.[0-9a-f]{12}\./);
      const maintainer = await client.customer(admin, { roles: ["ROLE_MAINTAINER"] });
      const asMaintainer = (body: unknown) => client.request("/api/webhook-secrets", { method: "POST", headers: basic(maintainer.username, maintainer.token), body: JSON.stringify(body) });
      expect((await asMaintainer({ provider: "gitlab" })).status).toBe(403);
      expect((await asMaintainer({ package: pkg.name, secret: "short" })).status).toBe(400);
      expect((await asMaintainer({ package: pkg.name, provider: "svn" })).status).toBe(400);
      expect((await asMaintainer({ package: pkg.name, secret: "a-chosen-secret-of-enough-length" })).status).toBe(201);
      await client.api(admin, "DELETE", `/api/webhook-secrets/${created.id}`);
      expect((await client.request(`/api/webhook-secrets/${created.id}`, { method: "DELETE", headers: bearer(admin) })).status).toBe(404);
    });
  });
}
