// Satchel's own push hook on the provider, for packages read with a GitHub or GitLab token:
// installed through the provider's REST API when the package is created (a local server
// answers in GitHub's and GitLab's documented shapes), usable at once, removed on delete.
import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { providerHooks, webhookSecrets } from "../../src/db/schema.ts";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { Client } from "./client.ts";
import { unique, type Harness, type HarnessFactory } from "./harness.ts";
import { ReceiverClient } from "./hook-receiver-client.ts";
import { claimJobOf, publishVersions } from "./worker-claims.ts";

export function providerHooksSuite(runtime: string, factory: HarnessFactory, receiverUrl: () => string) {
  describe(`${runtime}: webhooks installed on GitHub and GitLab`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let receiver: ReceiverClient;
    const createPackage = async (repository: string, kind: string, api: string, extra: Record<string, unknown> = {}) => {
      const credential = await client.api<{ id: number }>(admin, "POST", "/api/credentials", { name: unique("token"), kind, secret: "provider-token-123", publicInfo: `${receiverUrl()}${api}` });
      const { job } = await client.api<{ job: string }>(admin, "POST", "/api/create-package", { repository, credentials: credential.id, ...extra });
      return claimJobOf(client, job, "w-install");
    };
    const requestsTo = async (path: string, count = 1) => {
      for (let i = 0; i < 200; i++) {
        const found = await receiver.requests(path);
        if (found.length >= count) return found;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      return receiver.requests(path);
    };

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      receiver = new ReceiverClient(receiverUrl());
    });

    it("installs a signed push hook on GitHub, takes its pushes, and removes it with the package", async () => {
      const repo = unique("gh");
      const hooksPath = `/gh/repos/acme/${repo}/hooks`;
      await receiver.script(hooksPath, [{ status: 201, body: { id: 4242, type: "Repository", name: "web", active: true, events: ["push", "create", "delete"], config: { content_type: "json", insecure_ssl: "0", url: "https://repo.example.test/api/github" } } }]);
      const job = await createPackage(`https://github.com/acme/${repo}.git`, "github-token", "/gh");
      expect(await publishVersions(client, job, "w-install", `acme/${repo}`, ["1.0.0"])).toMatchObject({ created: true, added: ["1.0.0"] });
      const [install] = await requestsTo(hooksPath);
      expect(install.method).toBe("POST");
      expect(install.headers.authorization).toBe("Bearer provider-token-123");
      const body = JSON.parse(install.body) as { events: string[]; config: { url: string; secret: string; content_type: string } };
      expect(body.events).toEqual(["push", "create", "delete"]);
      expect(body.config).toMatchObject({ url: "https://repo.example.test/api/github", content_type: "json" });
      expect(body.config.secret).toMatch(/^[0-9a-f]{64}$/);
      for (let i = 0; i < 100 && !(await harness.app.services.db.orm.select().from(providerHooks).where(eq(providerHooks.hookId, "4242")).get()); i++) await new Promise((resolve) => setTimeout(resolve, 20));

      // GitHub now signs pushes with that secret.
      const push = JSON.stringify({ ref: "refs/tags/v1.1.0", repository: { clone_url: `https://github.com/acme/${repo}.git` } });
      const delivered = await client.request("/api/github", {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": "push", "x-hub-signature-256": `sha256=${await hmacSha256Hex(body.config.secret, push)}` },
        body: push,
      });
      expect(delivered.status).toBe(202);

      await receiver.script(`${hooksPath}/4242`, [{ status: 204 }]);
      await client.api(admin, "DELETE", `/api/packages/acme/${repo}`);
      const [removal] = await requestsTo(`${hooksPath}/4242`);
      expect(removal).toMatchObject({ method: "DELETE", headers: expect.objectContaining({ authorization: "Bearer provider-token-123" }) });
      expect(await harness.app.services.db.orm.select().from(providerHooks).where(eq(providerHooks.hookId, "4242")).all()).toHaveLength(0);
    });

    it("installs a project hook on GitLab with the secret token", async () => {
      const repo = unique("gl");
      const hooksPath = `/gl/api/v4/projects/group%2F${repo}/hooks`;
      await receiver.script(hooksPath, [{ status: 201, body: { id: 77, url: "https://repo.example.test/api/gitlab", push_events: true, tag_push_events: true, enable_ssl_verification: true } }]);
      const job = await createPackage(`git@gitlab.example.test:group/${repo}.git`, "gitlab-token", "/gl");
      await publishVersions(client, job, "w-install", `acme/${repo}`, ["1.0.0"]);
      const [install] = await requestsTo(hooksPath);
      expect(install.headers["private-token"]).toBe("provider-token-123");
      const body = JSON.parse(install.body) as { url: string; token: string; push_events: boolean; tag_push_events: boolean };
      expect(body).toMatchObject({ url: "https://repo.example.test/api/gitlab", push_events: true, tag_push_events: true });
      const tagPush = JSON.stringify({ object_kind: "tag_push", project: { git_ssh_url: `git@gitlab.example.test:group/${repo}.git` } });
      const delivered = await client.request("/api/gitlab", { method: "POST", headers: { "x-gitlab-event": "Tag Push Hook", "x-gitlab-token": body.token }, body: tagPush });
      expect(delivered.status).toBe(202);
    });

    it("installs nothing when asked not to, and keeps the package when the provider refuses", async () => {
      const [optOut, refused] = [unique("no"), unique("refused")];
      await receiver.script(`/gh/repos/acme/${refused}/hooks`, [{ status: 404, body: { message: "Not Found", documentation_url: "https://docs.github.com/rest/repos/webhooks#create-a-repository-webhook" } }]);
      const first = await createPackage(`https://github.com/acme/${optOut}.git`, "github-token", "/gh", { installWebhook: false });
      await publishVersions(client, first, "w-install", `acme/${optOut}`, ["1.0.0"]);
      const second = await createPackage(`https://github.com/acme/${refused}.git`, "github-token", "/gh");
      await publishVersions(client, second, "w-install", `acme/${refused}`, ["1.0.0"]);
      expect(await requestsTo(`/gh/repos/acme/${refused}/hooks`)).toHaveLength(1);
      await new Promise((resolve) => setTimeout(resolve, 100));
      expect(await receiver.requests(`/gh/repos/acme/${optOut}/hooks`)).toHaveLength(0);
      const refusedPackage = await client.api<{ id: number }>(admin, "GET", `/api/packages/acme/${refused}`);
      const secrets = await harness.app.services.db.orm.select().from(webhookSecrets).where(eq(webhookSecrets.packageId, refusedPackage.id)).all();
      expect(secrets).toHaveLength(0);
    });
  });
}
