// composer.lock review and security monitoring end to end, on a running Satchel (both runtimes): real
// lock files written by the real `composer` against it, a monitored package read by the real
// git worker, and a local server speaking GitHub's API (test/support/fake-forge.ts) as the
// provider the review comments on and the monitor reads from.
import { readFile, writeFile } from "node:fs/promises";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { packageZip } from "../contract/harness.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject } from "../support/composer-cli.ts";
import { FORGE_TOKEN, startFakeForge, type FakeForge } from "../support/fake-forge.ts";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startHookReceiver, type HookReceiver } from "../support/hook-receiver.ts";
import { requireTool } from "../support/required-tool.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";
import { ForgeClient } from "../contract/forge-client.ts";
import { ReceiverClient } from "../contract/hook-receiver-client.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the lock-file review end-to-end test");

interface Job {
  status: string;
  result?: Record<string, unknown>;
}

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: composer.lock review and security alerts with real lock files`, () => {
    let satchel: SatchelProcess;
    let forgeServer: FakeForge;
    let receiverServer: HookReceiver;
    let daemon: GitServer;
    let forge: ForgeClient;
    let receiver: ReceiverClient;
    let admin: string;
    let hookSecret: string;
    let cloneUrl: string;
    const locks: Record<string, string> = {};

    const api = async <T = Record<string, unknown>>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };
    const settle = async (id: string): Promise<Job> => {
      const deadline = Date.now() + 60_000;
      for (;;) {
        const job = await api<Job>("GET", `/api/jobs/${id}`);
        if (job.status === "done" || job.status === "failed") return job;
        if (Date.now() > deadline) throw new Error(`job ${id} still ${job.status}\n${satchel.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    const github = async (event: string, payload: Record<string, unknown>) => {
      const body = JSON.stringify({ ...payload, repository: { clone_url: cloneUrl, full_name: "acme/shop" } });
      const response = await fetch(`${satchel.url}/api/github`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-github-event": event, "x-github-delivery": crypto.randomUUID(), "x-hub-signature-256": `sha256=${await hmacSha256Hex(hookSecret, body)}` },
        body,
      });
      expect(response.status, satchel.output()).toBe(202);
      return (await response.json()) as { jobs: string[]; securityChecks?: string[] };
    };
    const pullRequest = (head: string) => github("pull_request", { action: "synchronize", number: 12, pull_request: { number: 12, base: { sha: "base" }, head: { sha: head } } });

    beforeAll(async () => {
      forgeServer = await startFakeForge();
      receiverServer = await startHookReceiver();
      forge = new ForgeClient(forgeServer.url);
      receiver = new ReceiverClient(receiverServer.url);
      const root = await mkdtemp(path.join(tmpdir(), "satchel-lock-review-"));
      daemon = await startGitDaemon(root);
      satchel = await startSatchel(runtime, { SATCHEL_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
      admin = await satchel.adminToken();

      // acme/lib 1.0.0, 1.1.0 (vulnerable) and 1.2.0 (fixed), and the advisory.
      for (const version of ["1.0.0", "1.1.0", "1.2.0"]) {
        const upload = await fetch(`${satchel.url}/api/packages/upload/acme/lib/${version}`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" }, body: packageZip({ name: "acme/lib" }) });
        expect(upload.status).toBe(201);
      }
      await api("POST", "/api/advisories", { packageName: "acme/lib", affectedVersions: ">=1.1.0,<1.2.0", title: "Template injection in the renderer", cve: "CVE-2026-31337", severity: "high", link: "https://security.example.test/CVE-2026-31337", reportedAt: "2026-11-01T00:00:00+00:00" });

      // A project's lock on each version, written by composer.
      const project = await composerProject(satchel.url, "admin", admin, {});
      for (const version of ["1.0.0", "1.1.0", "1.2.0"]) {
        const manifest = JSON.parse(await readFile(path.join(project, "composer.json"), "utf8")) as { require: Record<string, string> };
        manifest.require = { "acme/lib": version };
        await writeFile(path.join(project, "composer.json"), JSON.stringify(manifest));
        const run = await composer(project, ["update", "--no-install"]);
        expect(run.code, run.output).toBe(0);
        locks[version] = await readFile(path.join(project, "composer.lock"), "utf8");
      }

      // The application: a git repository the git worker reads, whose GitHub API is the fixture.
      const repo = await createRepository(root, "acme/shop.git");
      await repo.release({ name: "acme/shop", type: "project" }, "v1.0.0");
      cloneUrl = daemon.url("acme/shop.git");
      const credential = await api<{ id: number }>("POST", "/api/credentials", { name: "github", kind: "github-token", secret: FORGE_TOKEN, publicInfo: `${forgeServer.url}/github` });
      const { job } = await api<{ job: string }>("POST", "/api/create-package", { repository: cloneUrl, credentials: credential.id, installWebhook: false });
      expect((await settle(job)).status).toBe("done");
      await api("PUT", "/api/packages/acme/shop", { reviewLockFiles: true, application: true });
      hookSecret = (await api<{ secret: string }>("POST", "/api/webhook-secrets", { name: "github", provider: "github" })).secret;
    }, 240_000);

    afterAll(async () => {
      await satchel?.stop();
      await daemon?.stop();
      await forgeServer?.close();
      await receiverServer?.close();
    });

    it("comments on a pull request moving acme/lib from 1.0.0 to 1.1.0, and updates that comment on the next push", async () => {
      await forge.file("github", "acme/shop", "base", locks["1.0.0"]);
      await forge.file("github", "acme/shop", "head1", locks["1.1.0"]);
      const first = await pullRequest("head1");
      expect(await settle(first.jobs[0])).toMatchObject({ status: "done", result: { status: "commented", updated: false, upgraded: 1, advisories: 1 } });
      const comments = await forge.comments("github", "acme/shop", 12);
      expect(comments).toHaveLength(1);
      expect(comments[0].body).toBe(
        [
          "<!-- satchel:composer-lock-review -->",
          "### composer.lock changes",
          "",
          "**0 added, 0 removed, 1 upgraded, 0 downgraded, 1 security advisory**",
          "",
          "#### Security advisories affecting the new versions",
          "",
          "| Package | Version | Advisory |",
          "|---|---|---|",
          "| `acme/lib` | `1.1.0` | [CVE-2026-31337: Template injection in the renderer](https://security.example.test/CVE-2026-31337) (high) |",
          "",
          "#### Upgraded",
          "",
          "| Package | From | To |",
          "|---|---|---|",
          "| `acme/lib` | `1.0.0` | `1.1.0` |",
          "",
        ].join("\n"),
      );

      await forge.file("github", "acme/shop", "head2", locks["1.2.0"]);
      const second = await pullRequest("head2");
      expect(await settle(second.jobs[0])).toMatchObject({ status: "done", result: { status: "commented", updated: true, upgraded: 1, advisories: 0 } });
      const updated = await forge.comments("github", "acme/shop", 12);
      expect(updated).toHaveLength(1);
      expect(updated[0].id).toBe(comments[0].id);
      expect(updated[0].body).toContain("**0 added, 0 removed, 1 upgraded, 0 downgraded, 0 security advisories**");
      expect(updated[0].body).toContain("| `acme/lib` | `1.0.0` | `1.2.0` |");
    });

    it("raises one security_alert for the vulnerable acme/lib in the default branch's lock, and none when checked again", async () => {
      await api("POST", "/api/webhooks", { name: "alerts", url: `${receiverServer.url}/alerts`, events: ["security_alert"] });
      await forge.file("github", "acme/shop", "main", locks["1.1.0"]);
      const push = async () => {
        const { securityChecks } = await github("push", { ref: "refs/heads/main", after: crypto.randomUUID().replace(/-/g, "") });
        expect(securityChecks).toHaveLength(1);
        return settle((securityChecks as string[])[0]);
      };
      expect(await push()).toMatchObject({ status: "done", result: { branch: "main", affected: 1, newAlerts: 1 } });
      for (let i = 0; i < 100 && (await receiver.requests("/alerts")).length === 0; i++) await new Promise((resolve) => setTimeout(resolve, 50));
      const [delivery, ...more] = await receiver.requests("/alerts");
      expect(more).toEqual([]);
      expect(delivery.headers["x-satchel-event"]).toBe("security_alert");
      expect(JSON.parse(delivery.body)).toMatchObject({ event: "security_alert", package: { name: "acme/shop" }, repository: "acme/shop", alerts: [{ package: "acme/lib", version: "1.1.0", cve: "CVE-2026-31337" }] });

      expect(await push()).toMatchObject({ status: "done", result: { affected: 1, newAlerts: 0 } });
      await new Promise((resolve) => setTimeout(resolve, 500));
      expect(await receiver.requests("/alerts")).toHaveLength(1);
    });
  });
}
