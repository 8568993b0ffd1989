// Outgoing hooks against a real receiver on 127.0.0.1: signed deliveries, retries with backoff
// until exactly one succeeds, bounded timeouts, the SSRF guard, filters and "send test".
import { beforeAll, describe, expect, it } from "vitest";
import { createPackageRow } from "../../src/packages/package-store.ts";
import { runScheduledWork } from "../../src/scheduler/run-scheduled.ts";
import { hmacSha256Hex } from "../../src/crypto/hmac.ts";
import { drainOutbox } from "../../src/webhooks/outgoing/outbox.ts";
import { Client } from "./client.ts";
import { bearer, json, unique, type Harness, type HarnessFactory } from "./harness.ts";
import { ReceiverClient } from "./hook-receiver-client.ts";
import { claimJobOf, workerCall } from "./worker-claims.ts";

interface Delivery {
  id: string;
  event: string;
  status: string;
  attempts: number;
  lastError: string | null;
  lastStatus: number | null;
  request: { body: string };
  attemptLog: { status: number | null; error: string | null }[];
}

export function outgoingHooksSuite(runtime: string, factory: HarnessFactory, receiverUrl: () => string) {
  describe(`${runtime}: outgoing webhooks`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    let receiver: ReceiverClient;
    const createHook = (body: Record<string, unknown>) =>
      client.request("/api/webhooks", { method: "POST", headers: { ...bearer(admin), "content-type": "application/json" }, body: JSON.stringify(body) });
    const deliveries = (hookId: number) => client.api<{ deliveries: Delivery[] }>(admin, "GET", `/api/webhooks/${hookId}/deliveries`).then((body) => body.deliveries);
    const settled = async (hookId: number, count = 1): Promise<Delivery[]> => {
      for (let i = 0; i < 200; i++) {
        const list = await deliveries(hookId);
        const done = (delivery: Delivery) => delivery.status === "failed" || (delivery.status !== "sending" && delivery.attempts > 0);
        if (list.length >= count && list.every(done)) return list;
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
      throw new Error(`deliveries of hook ${hookId} did not settle: ${JSON.stringify(await deliveries(hookId))}`);
    };

    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
      receiver = new ReceiverClient(receiverUrl());
      // The test receiver is on 127.0.0.1: an admin allow-lists it, as the README says.
      await client.api(admin, "POST", "/api/webhook-allowed-hosts", { host: "127.0.0.1" });
    });

    it("refuses loopback, private, link-local and metadata targets unless the host is allow-listed", async () => {
      await client.api(admin, "DELETE", "/api/webhook-allowed-hosts/127.0.0.1");
      // A parameter that decodes to a stray "%" is a 404, not a 500 from a second decode.
      expect((await client.request("/api/webhook-allowed-hosts/%25E0%25A4%25A", { method: "DELETE", headers: bearer(admin) })).status).toBe(404);
      const refused = ["http://127.0.0.1:9/x", "http://10.1.2.3/x", "http://192.168.0.10/x", "http://localhost:8080/", "http://169.254.169.254/latest/meta-data/", "http://[::1]:8080/", "http://metadata.google.internal/", "http://2130706433/", "ftp://example.com/x"];
      for (const url of refused) {
        const response = await createHook({ name: unique("refused"), url, events: ["new_release"] });
        expect(response.status, url).toBe(400);
      }
      expect((await client.request("/api/webhook-allowed-hosts", { method: "POST", headers: bearer(admin), body: JSON.stringify({ host: "not a host!" }) })).status).toBe(400);
      await client.api(admin, "POST", "/api/webhook-allowed-hosts", { host: "127.0.0.1" });
      expect((await createHook({ name: unique("allowed"), url: `${receiverUrl()}/allowed`, events: ["new_release"] })).status).toBe(201);
      expect((await createHook({ name: unique("still-refused"), url: "http://10.1.2.3/x", events: ["new_release"] })).status).toBe(400);
    });

    it("refuses IPv6 targets that embed a loopback or private IPv4 address", async () => {
      const refused = ["http://[::127.0.0.1]/", "http://[::ffff:0:127.0.0.1]/", "http://[2002:7f00:1::]/", "http://[::7f00:1]/", "http://[64:ff9b::10.0.0.1]/", "http://[64:ff9b:1::1]/", "http://[::ffff:a9fe:a9fe]/", "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/"];
      for (const url of refused) expect((await createHook({ name: unique("v6"), url, events: ["new_release"] })).status, url).toBe(400);
    });

    it("delivers a release signed with the hook's secret, retries 5xx until exactly one delivery succeeds", async () => {
      const name = `acme/${unique("out")}`;
      await receiver.script("/release", [{ status: 500 }, { status: 503, body: "try later" }, { status: 200, body: "thanks" }]);
      const hook = await json<{ id: number; secret: string }>(await createHook({ name: unique("release"), url: `${receiverUrl()}/release`, events: ["new_release"], packageFilter: name }));
      expect(hook.secret).toMatch(/^[0-9a-f]{64}$/);
      await client.uploadOk(admin, name, "1.0.0");
      // Queued by the upload, sent right after its response.
      let list = await settled(hook.id);
      const release = () => list.find((delivery) => delivery.event === "new_release") as Delivery;
      expect(release()).toMatchObject({ status: "pending", attempts: 1, lastStatus: 500 });
      harness.clock.now += 61_000;
      await runScheduledWork(harness.app.services);
      list = await deliveries(hook.id);
      expect(release()).toMatchObject({ status: "pending", attempts: 2, lastStatus: 503 });
      harness.clock.now += 4 * 60_000;
      await drainOutbox(harness.app.services);
      list = await deliveries(hook.id);
      expect(release().attempts).toBe(2);
      harness.clock.now += 61_000;
      await drainOutbox(harness.app.services);
      harness.clock.now += 24 * 60 * 60_000;
      await drainOutbox(harness.app.services);
      list = await deliveries(hook.id);
      expect(release()).toMatchObject({ status: "succeeded", attempts: 3, lastStatus: 200 });
      expect(release().attemptLog.map((entry) => entry.status)).toEqual([500, 503, 200]);

      const received = await receiver.requests("/release");
      expect(received).toHaveLength(3);
      expect(new Set(received.map((request) => request.headers["x-satchel-delivery"]))).toEqual(new Set([release().id]));
      for (const request of received) {
        expect(request.headers["x-satchel-signature"]).toBe(`sha256=${await hmacSha256Hex(hook.secret, request.body)}`);
        const timestamp = request.headers["x-satchel-timestamp"];
        expect(request.headers["x-satchel-signature-timestamped"]).toBe(`sha256=${await hmacSha256Hex(hook.secret, `${timestamp}.${request.body}`)}`);
      }
      const payload = JSON.parse(received[2].body) as { event: string; package: { name: string }; versions: { version: string }[]; user: { username: string } };
      expect(payload).toMatchObject({ event: "new_release", package: { name }, versions: [{ version: "1.0.0" }], user: { username: "admin" } });
    });

    it("keeps retrying network errors with backoff, 8 attempts over more than an hour, then gives up", async () => {
      const name = `acme/${unique("down")}`;
      const hook = await json<{ id: number }>(await createHook({ name: unique("down"), url: "http://127.0.0.1:9/nobody-listens", events: ["new_release"], packageFilter: name }));
      const started = harness.clock.now;
      await client.uploadOk(admin, name, "1.0.0");
      await settled(hook.id);
      for (let i = 0; i < 12; i++) {
        harness.clock.now += 5 * 60 * 60_000;
        await drainOutbox(harness.app.services);
      }
      const [delivery] = await deliveries(hook.id);
      expect(delivery).toMatchObject({ status: "failed", attempts: 8 });
      expect(delivery.lastError).toMatch(/Network error|No answer/);
      expect(harness.clock.now - started).toBeGreaterThan(60 * 60_000);
    });

    it("does not follow redirects, and does not retry a 4xx", async () => {
      const name = `acme/${unique("redir")}`;
      await receiver.script("/moved", [{ status: 302, headers: { location: "http://169.254.169.254/latest/meta-data/" } }]);
      await receiver.script("/gone", [{ status: 410 }]);
      const moved = await json<{ id: number }>(await createHook({ name: unique("moved"), url: `${receiverUrl()}/moved`, events: ["new_release"], packageFilter: name }));
      const gone = await json<{ id: number }>(await createHook({ name: unique("gone"), url: `${receiverUrl()}/gone`, events: ["new_release"], packageFilter: name }));
      await client.uploadOk(admin, name, "1.0.0");
      const [redirected] = await settled(moved.id);
      expect(redirected).toMatchObject({ status: "failed", attempts: 1, lastStatus: 302 });
      expect(redirected.lastError).toMatch(/Redirects are not followed/);
      expect((await settled(gone.id))[0]).toMatchObject({ status: "failed", attempts: 1, lastStatus: 410 });
    });

    it("times out a hanging receiver without holding up other deliveries", async () => {
      const quick = await factory({ webhooks: { timeoutMs: 300 } });
      const quickClient = new Client(quick.app);
      const token = await quickClient.adminToken();
      await quickClient.api(token, "POST", "/api/webhook-allowed-hosts", { host: "127.0.0.1" });
      const name = `acme/${unique("slow")}`;
      await receiver.script("/slow", [{ status: 200, delayMs: 3000 }]);
      const slow = await quickClient.api<{ id: number }>(token, "POST", "/api/webhooks", { name: unique("slow"), url: `${receiverUrl()}/slow`, events: ["new_release"], packageFilter: name });
      const fast = await quickClient.api<{ id: number }>(token, "POST", "/api/webhooks", { name: unique("fast"), url: `${receiverUrl()}/fast`, events: ["new_release"], packageFilter: name });
      const started = Date.now();
      await quickClient.uploadOk(token, name, "1.0.0");
      await drainOutbox(quick.app.services);
      const states = async (id: number) => (await quickClient.api<{ deliveries: Delivery[] }>(token, "GET", `/api/webhooks/${id}/deliveries`)).deliveries[0];
      for (let i = 0; i < 100 && ((await states(slow.id))?.attempts ?? 0) === 0; i++) await new Promise((resolve) => setTimeout(resolve, 25));
      expect(await states(fast.id)).toMatchObject({ status: "succeeded" });
      expect(await states(slow.id)).toMatchObject({ status: "pending", attempts: 1, lastError: "No answer within 300 ms." });
      expect(Date.now() - started).toBeLessThan(2500);
    });

    it("filters by package and version constraint, renders templates, and refuses bad ones at save time", async () => {
      const name = `acme/${unique("tpl")}`;
      const template = '{"text": "{{package.name}} {{#versions}}{{version}}{{^@last}}, {{/@last}}{{/versions}} by {{user.username}}{{missing.value}}"}';
      const hook = await json<{ id: number }>(await createHook({ name: unique("slack"), url: `${receiverUrl()}/slack`, events: ["new_release"], packageFilter: "acme/tpl*", versionConstraint: "^2.0", template }));
      await client.uploadOk(admin, name, "1.0.0");
      await client.uploadOk(admin, name, "2.0.0");
      const list = await settled(hook.id);
      expect(list).toHaveLength(1);
      expect(JSON.parse(list[0].request.body)).toEqual({ text: `${name} 2.0.0 by admin` });
      const bad = async (body: Record<string, unknown>) => (await createHook({ name: unique("bad"), url: `${receiverUrl()}/x`, events: ["new_release"], ...body })).status;
      expect(await bad({ template: "{{#versions}}never closed" })).toBe(400);
      expect(await bad({ template: '{"text": {{package.name}}}' })).toBe(400);
      expect(await bad({ template: "{{__proto__.polluted}}" })).toBe(400);
      expect(await bad({ template: "x".repeat(20_000) })).toBe(400);
      expect(await bad({ packageFilter: "/(a+)+$/" })).toBe(400);
      expect(await bad({ versionConstraint: "^^not" })).toBe(400);
      expect(await bad({ events: ["nonsense"] })).toBe(400);
      expect(await bad({ headers: { "X-Satchel-Signature": "forged" } })).toBe(400);
      expect(await bad({ method: "DELETE" })).toBe(400);
    });

    it("sends a test on demand, and http_request through /api/webhook-invoke/{name}", async () => {
      const hookName = unique("invoke");
      const hook = await json<{ id: number }>(await createHook({ name: hookName, url: `${receiverUrl()}/invoke`, events: ["http_request"], template: '{"build": "{{request.build}}", "by": "{{user.username}}"}', headers: { Authorization: "Bearer downstream" } }));
      const test = await client.api<{ delivery: Delivery }>(admin, "POST", `/api/webhooks/${hook.id}/test`);
      expect(test.delivery).toMatchObject({ status: "succeeded", attempts: 1, lastStatus: 200 });
      const invoked = await client.api<{ deliveries: string[] }>(admin, "POST", `/api/webhook-invoke/${hookName}`, { build: 42 });
      expect(invoked.deliveries).toHaveLength(1);
      await settled(hook.id, 2);
      const requests = await receiver.requests("/invoke");
      expect(requests.map((request) => request.headers.authorization)).toEqual(["Bearer downstream", "Bearer downstream"]);
      expect(JSON.parse(requests[1].body)).toEqual({ build: "42", by: "admin" });
      expect((await client.request(`/api/webhook-invoke/${unique("nobody")}`, { method: "POST", headers: bearer(admin), body: "{}" })).status).toBe(404);
    });

    it("raises new_repo, delete_repo and update_repo_failed", async () => {
      const name = `acme/${unique("life")}`;
      const hook = await json<{ id: number }>(await createHook({ name: unique("life"), url: `${receiverUrl()}/life`, events: ["new_repo", "delete_repo", "update_repo_failed"], packageFilter: name }));
      await client.uploadOk(admin, name, "1.0.0");
      await client.api(admin, "DELETE", `/api/packages/${name}`);
      const vcs = await createPackageRow(harness.app.services, { name, kind: "vcs", repository: `https://git.example.test/${name}.git` });
      const { jobs } = await client.api<{ jobs: string[] }>(admin, "POST", "/api/update-package", { repository: { url: `https://git.example.test/${name}.git` } });
      const claimed = await claimJobOf(client, vcs.id, "w-life");
      expect(claimed).toBe(jobs[0]);
      expect((await workerCall(client, `/jobs/${claimed}/finish`, { workerId: "w-life", status: "failed", result: { error: "fatal: repository not found" } })).status).toBe(200);
      const list = await settled(hook.id, 3);
      const bodies = list.map((delivery) => JSON.parse(delivery.request.body) as { event: string; package: { name: string }; error?: string; user: unknown });
      expect(bodies.map((body) => body.event).sort()).toEqual(["delete_repo", "new_repo", "update_repo_failed"]);
      expect(bodies.find((body) => body.event === "update_repo_failed")).toMatchObject({ package: { name: vcs.name }, error: "fatal: repository not found", user: null });
      expect(bodies.find((body) => body.event === "delete_repo")).toMatchObject({ user: { username: "admin" } });
    });
  });
}
