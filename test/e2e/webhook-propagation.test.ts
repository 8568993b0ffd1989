// The measured bar of webhooks, on both runtimes: a real repository with 100 tags served by git
// daemon, a new tag pushed, a GitHub-signed push hook posted to the edge, the git worker fetches
// and publishes, and the real composer installs the new version. Prints the time from the hook
// to installable (p2 lists the version, its zipball served) and to `composer update` done,
// median of several runs. An outgoing hook receiver sees exactly one signed new_release per tag.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { COMPOSER_INSTALL, composer, composerAvailable, composerProject, installedVersion } from "../support/composer-cli.ts";
import { requireTool } from "../support/required-tool.ts";
import { createRepository, startGitDaemon, type GitServer } from "../support/git-servers.ts";
import { startHookReceiver, type HookReceiver, type RecordedRequest } from "../support/hook-receiver.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const hasComposer = requireTool(composerAvailable(), "composer", COMPOSER_INSTALL, "the webhook end-to-end tests");

const RUNS = 5;
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

for (const runtime of ["node", "workerd"] as Runtime[]) {
  describe.skipIf(!hasComposer)(`${runtime}: a pushed tag is installable seconds after GitHub's hook`, () => {
    let satchel: SatchelProcess;
    let daemon: GitServer;
    let receiver: HookReceiver;
    let admin: string;
    let root: string;
    const api = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
      const response = await fetch(`${satchel.url}${route}`, { method, headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
      if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
      return (await response.json()) as T;
    };

    beforeAll(async () => {
      root = await mkdtemp(path.join(tmpdir(), "satchel-hook-root-"));
      daemon = await startGitDaemon(root);
      receiver = await startHookReceiver();
      // Outgoing hooks may reach the local receiver: the operator's allow-list, by configuration.
      satchel = await startSatchel(runtime, { SATCHEL_WEBHOOK_ALLOW_HOSTS: "127.0.0.1" });
      admin = await satchel.adminToken();
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop();
      await daemon?.stop();
      await receiver?.close();
    });

    it(`median webhook-to-installable over ${RUNS} pushes, 100 tags`, async () => {
      const name = `acme/hooked-${runtime}`;
      const composerJson = { name, description: "Updated by webhooks", autoload: { "psr-4": { "Acme\\Hooked\\": "src/" } } };
      const repo = await createRepository(root, `hooked-${runtime}.git`);
      await repo.releaseMany(composerJson, Array.from({ length: 100 }, (_, i) => `v1.${i}.0`));
      const url = daemon.url(`hooked-${runtime}.git`);
      const { job } = await api<{ job: string }>("POST", "/api/create-package", { repository: url });
      for (let i = 0; ; i++) {
        const state = await api<{ status: string; result?: unknown }>("GET", `/api/jobs/${job}`);
        if (state.status === "done") break;
        if (state.status === "failed" || i > 600) throw new Error(`create-package: ${JSON.stringify(state)}\n${satchel.output()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const { secret } = await api<{ secret: string }>("POST", "/api/webhook-secrets", { name: "github org", provider: "github" });
      const hook = await api<{ secret: string }>("POST", "/api/webhooks", { name: "releases", url: `${receiver.url}/releases`, events: ["new_release"], packageFilter: name });
      const project = await composerProject(satchel.url, "admin", admin, { [name]: "*" });
      const install = await composer(project, ["install"]);
      expect(install.code, install.output).toBe(0);
      expect(await installedVersion(project, name)).toBe("v1.99.0");

      const installable: number[] = [];
      const installed: number[] = [];
      const queued: number[] = [];
      const working: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        const tag = `v2.${run}.0`;
        await repo.release(composerJson, tag, { "src/Version.php": `<?php // ${tag}\n` });
        const payload = JSON.stringify({
          ref: `refs/tags/${tag}`,
          before: "0000000000000000000000000000000000000000",
          created: true,
          deleted: false,
          repository: { full_name: `acme/hooked-${runtime}`, clone_url: url, html_url: `https://github.example.test/acme/hooked-${runtime}` },
          pusher: { name: "dev" },
        });
        const started = performance.now();
        const response = await fetch(`${satchel.url}/api/github`, {
          method: "POST",
          headers: { "content-type": "application/json", "x-github-event": "push", "x-github-delivery": crypto.randomUUID(), "x-hub-signature-256": `sha256=${await hmacSha256Hex(secret, payload)}` },
          body: payload,
        });
        expect(response.status).toBe(202);
        expect(performance.now() - started).toBeLessThan(500);
        const [jobId] = ((await response.json()) as { jobs: string[] }).jobs;
        await waitForVersion(satchel.url, admin, name, tag);
        installable.push(performance.now() - started);
        // Where the time went: waiting for a worker's claim, then the worker's fetch, scan and publish.
        const times = await api<{ createdAt: string; startedAt: string; finishedAt: string }>("GET", `/api/jobs/${jobId}`);
        queued.push(Date.parse(times.startedAt) - Date.parse(times.createdAt));
        working.push(Date.parse(times.finishedAt) - Date.parse(times.startedAt));
        const update = await composer(project, ["update"]);
        expect(update.code, update.output).toBe(0);
        expect(await installedVersion(project, name)).toBe(tag);
        installed.push(performance.now() - started);
      }
      const [toInstallable, toInstalled] = [median(installable), median(installed)];
      console.log(
        `\n[webhooks] ${runtime}: webhook -> installable (p2 lists the tag, 100 tags): median ${toInstallable.toFixed(0)} ms ` +
          `(runs: ${installable.map((ms) => ms.toFixed(0)).join(", ")}; job queued ${median(queued)} ms, worker ${median(working)} ms); ` +
          `webhook -> composer update done: median ${toInstalled.toFixed(0)} ms\n`,
      );
      expect(toInstallable).toBeLessThan(runtime === "node" ? 2000 : 4000);

      // One signed new_release per pushed tag reached the receiver (plus none for the 100 tags of the creation: the hook came later).
      const deliveries = await waitForRequests(receiver, "/releases", RUNS);
      expect(deliveries).toHaveLength(RUNS);
      for (const delivery of deliveries) {
        expect(delivery.headers["x-satchel-signature"]).toBe(`sha256=${await hmacSha256Hex(hook.secret, delivery.body)}`);
      }
      const versions = deliveries.map((delivery) => (JSON.parse(delivery.body) as { versions: { version: string }[] }).versions.map((version) => version.version)).flat();
      expect(versions.sort()).toEqual(Array.from({ length: RUNS }, (_, run) => `v2.${run}.0`));
    });
  });
}

async function waitForVersion(base: string, token: string, name: string, version: string): Promise<void> {
  const deadline = performance.now() + 60_000;
  for (;;) {
    const response = await fetch(`${base}/p2/${name}.json`, { headers: { authorization: `Bearer ${token}` } });
    if (response.ok) {
      const body = (await response.json()) as { packages: Record<string, { version?: string }[]> };
      if (body.packages[name]?.some((entry) => entry.version === version)) return;
    }
    if (performance.now() > deadline) throw new Error(`${name} ${version} never appeared`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

async function waitForRequests(receiver: HookReceiver, path: string, count: number): Promise<RecordedRequest[]> {
  for (let i = 0; i < 200; i++) {
    const response = await fetch(`${receiver.url}/_control/requests?path=${encodeURIComponent(path)}`);
    const requests = (await response.json()) as RecordedRequest[];
    if (requests.length >= count) {
      // Late duplicates would show up within a moment.
      await new Promise((resolve) => setTimeout(resolve, 300));
      return (await (await fetch(`${receiver.url}/_control/requests?path=${encodeURIComponent(path)}`)).json()) as RecordedRequest[];
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the receiver saw fewer than ${count} requests on ${path}`);
}
