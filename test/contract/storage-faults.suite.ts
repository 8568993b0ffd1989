// Storage faults through the ports, at every call index of an operation: fail call 1, 2, 3 ...
// until the operation completes without reaching the fault. Each time the request gets a clean
// 503 with Retry-After (or the job retries), no endpoint shows anything half-written (the
// version set is the old one or the new one, everywhere, with whole zipballs), and the next
// request succeeds.
import { describe, expect, it } from "vitest";
import { drainOutbox } from "../../src/webhooks/outgoing/outbox.ts";
import type { HookTransport } from "../../src/ports.ts";
import { basic, bearer, json, packageZip, TEST_CONFIG, unique } from "./harness.ts";
import { workerCall } from "./worker-claims.ts";
import { enqueueJob } from "../../src/jobs/job-store.ts";
import type { FaultKind } from "../support/faulty-ports.ts";
import { sorted } from "../support/package-views.ts";
import { acceptingTransport, announcedReleases, expectCleanUnavailable, faultHarness, versionsSeen, type FaultHarness, type StoragePorts } from "./fault-harness.ts";

const MAX_CALLS = 200;

/** Runs `attempt` with the fault at call 1, 2, ... until a run never reaches it; returns how many runs. */
async function everyCallIndex(h: FaultHarness, kind: FaultKind, attempt: (n: number) => Promise<boolean>): Promise<number> {
  for (let n = 1; n <= MAX_CALLS; n++) {
    h.faults.arm(n, kind);
    const reached = await attempt(n).finally(() => h.faults.disarm());
    if (!reached) return n;
  }
  throw new Error(`the operation still made storage calls after ${MAX_CALLS}`);
}


/** A reference per version, the same on every try (as the worker computes it from the commit). */
const referenceOf = (name: string, version: string) =>
  [...new TextEncoder().encode(`${name}@${version}`.padEnd(20, "."))].slice(-20).map((byte) => byte.toString(16).padStart(2, "0")).join("");

/** The worker's side of a publish: the dists not uploaded before, then the version set; the first failure's answer. */
async function workerPublish(h: FaultHarness, jobId: string, name: string, versions: string[], uploaded: string[]): Promise<Response> {
  const entries = [];
  for (const version of versions) {
    const reference = referenceOf(name, version);
    if (!uploaded.includes(version)) {
      const zip = packageZip({ name }, { wrapIn: `${name.replace("/", "-")}-${reference.slice(0, 7)}` });
      const response = await h.client.request(`/api/worker/dist/${name}/${reference}`, { method: "PUT", headers: { ...bearer(TEST_CONFIG.workerToken), "content-type": "application/zip" }, body: zip });
      if (response.status !== 201) return response;
    }
    entries.push({ name, version, version_normalized: `${version}.0`, type: "library", time: "2026-01-01T00:00:00+00:00", dist: { type: "zip", url: "", reference, shasum: "" } });
  }
  return workerCall(h.client, `/jobs/${jobId}/publish`, { workerId: "w1", name, versions: entries });
}

async function claim(h: FaultHarness): Promise<string> {
  const response = await workerCall(h.client, "/jobs/claim", { workerId: "w1" });
  expect(response.status).toBe(200);
  return (await json<{ id: string }>(response)).id;
}

/**
 * `stalls`: also stall storage calls under a polling reader. Node only: inside the workerd test
 * pool the stalled call's timer did not fire while the reader kept polling (the upload hung).
 */
export function storageFaultsSuite(runtime: string, storage: StoragePorts, options: { stalls: boolean }) {
  describe(`${runtime}: storage faults: artifact uploads`, () => {
    for (const kind of ["throw", "partial"] as const) {
      it(`a ${kind} fault at any storage call of an upload: 503 + Retry-After, old or new state everywhere, the retry succeeds`, async () => {
        const h = await faultHarness(storage, acceptingTransport);
        const name = `acme/${unique(`up-${kind}-`)}`;
        const announced = await announcedReleases(h, name);
        let published: string[] = [];
        const runs = await everyCallIndex(h, kind, async (n) => {
          const version = `1.0.${n}`;
          const zip = packageZip({ name, description: `release ${version}` });
          const response = await h.client.upload(h.admin, name, version, zip);
          const reached = h.faults.disarm();
          const context = `fault at call ${n} (${h.faults.trace[n - 1]})`;
          if (response.status !== 201) await expectCleanUnavailable(response, context);
          const seen = (await versionsSeen(h, name)) ?? [];
          const after = sorted([...published, version]);
          expect([sorted(published), after], `${context}: half-written state visible`).toContainEqual(seen);
          if (response.status !== 201) {
            const retry = await h.client.upload(h.admin, name, version, zip);
            expect(retry.status, `${context}: retry ${await retry.clone().text()}`).toBe(201);
          }
          expect(await versionsSeen(h, name), context).toEqual(after);
          // Every release announced once: no event lost to the fault, none sent twice by the retry.
          expect(await announced(), context).toEqual(after);
          published = after;
          return reached;
        });
        expect(runs).toBeGreaterThan(5);
      });
    }
  });

  describe.skipIf(!options.stalls)(`${runtime}: slow storage during an upload`, () => {
    it("a reader polling every endpoint while any one storage call of an upload stalls sees the old state or the new one, never between", async () => {
      const h = await faultHarness(storage);
      const name = `acme/${unique("slow-")}`;
      let published: string[] = [];
      const runs = await everyCallIndex(h, "delay", async (n) => {
        const version = `1.0.${n}`;
        const before = sorted(published);
        const after = sorted([...published, version]);
        let uploading = true;
        const upload = h.client.upload(h.admin, name, version, packageZip({ name })).finally(() => (uploading = false));
        let reads = 0;
        while (uploading) {
          const seen = (await versionsSeen(h, name, h.reader)) ?? [];
          expect([before, after], `call ${n} stalled (${h.faults.trace[n - 1]})`).toContainEqual(seen);
          reads++;
        }
        expect((await upload).status).toBe(201);
        const reached = h.faults.disarm();
        if (reached) expect(reads).toBeGreaterThan(0);
        expect(await versionsSeen(h, name, h.reader)).toEqual(after);
        published = after;
        return reached;
      });
      expect(runs).toBeGreaterThan(5);
    });
  });

  describe(`${runtime}: storage faults: the worker's publish`, () => {
    for (const kind of ["throw", "partial"] as const) {
      it(`a ${kind} fault at any storage call of a publish: 503 + Retry-After, old or new state, the job's retry completes it`, async () => {
        const h = await faultHarness(storage, acceptingTransport);
        const name = `acme/${unique(`pub-${kind}-`)}`;
        const repository = `https://git.example.test/${name}.git`;
        const created = await h.client.api<{ job: string }>(h.admin, "POST", "/api/create-package", { repository });
        const announced = await announcedReleases(h, name);
        const released = new Set<string>();
        let published: string[] = [];
        let jobId = await claim(h);
        expect(jobId).toBe(created.job);
        const runs = await everyCallIndex(h, kind, async (n) => {
          // One kept, one new (and the previous one removed): every kind of change, at a constant size.
          const versions = ["1.0.0", `1.${n}.0`];
          const response = await workerPublish(h, jobId, name, versions, published);
          const reached = h.faults.disarm();
          const context = `fault at call ${n} (${h.faults.trace[n - 1]})`;
          if (response.status !== 200) await expectCleanUnavailable(response, context);
          const seen = (await versionsSeen(h, name)) ?? [];
          expect([sorted(published), sorted(versions)], `${context}: half-written state visible`).toContainEqual(seen);
          if (response.status !== 200) {
            // The worker retries the job with the lease it still holds.
            const retry = await workerPublish(h, jobId, name, versions, published);
            expect(retry.status, `${context}: retry ${await retry.clone().text()}`).toBe(200);
          }
          expect(await versionsSeen(h, name), context).toEqual(sorted(versions));
          const job = await h.client.api<{ status: string }>(h.admin, "GET", `/api/jobs/${jobId}`);
          expect(job.status, context).toBe("done");
          for (const version of versions) released.add(version);
          expect(await announced(), context).toEqual(sorted([...released]));
          published = versions;
          const pkg = await h.client.api<{ id: number }>(h.admin, "GET", `/api/packages/${name}`);
          await enqueueJob(h.app.services, "update-package", pkg.id, { repository });
          jobId = await claim(h);
          return reached;
        });
        expect(runs).toBeGreaterThan(5);
      });
    }
  });

  describe(`${runtime}: storage faults: outgoing webhook deliveries`, () => {
    it("a fault at any storage call of a drain: the delivery is retried until it succeeds, with one delivery id and body", async () => {
      const received: { id: string; body: string }[] = [];
      let receiverUp = false;
      const transport: HookTransport = async (_url, request) => {
        if (!receiverUp) return new Response("down", { status: 503 });
        received.push({ id: request.headers["x-satchel-delivery"] as string, body: request.body });
        return new Response("ok");
      };
      const h = await faultHarness(storage, transport);
      await h.client.api(h.admin, "POST", "/api/webhook-allowed-hosts", { host: "127.0.0.1" });
      const runs = await everyCallIndex(h, "throw", async (n) => {
        h.faults.disarm();
        receiverUp = false;
        received.length = 0;
        // A hook per run (filtered to its own package), so its log holds this run's delivery only.
        const name = `acme/${unique(`hooked-${n}-`)}`;
        const hook = await h.client.api<{ id: number }>(h.admin, "POST", "/api/webhooks", { name: unique(`faults-${n}-`), url: "http://127.0.0.1:9/hook", events: ["new_release"], packageFilter: name });
        const deliveries = () => h.client.api<{ deliveries: { id: string; status: string; attempts: number }[] }>(h.admin, "GET", `/api/webhooks/${hook.id}/deliveries`).then((body) => body.deliveries);
        await h.client.uploadOk(h.admin, name, "2.0.0");
        // The first attempt (sent right after the upload's response) meets a receiver that is down.
        let [queued] = await deliveries();
        for (let i = 0; i < 200 && queued?.attempts !== 1; i++) {
          await new Promise((resolve) => setTimeout(resolve, 10));
          [queued] = await deliveries();
        }
        expect(queued).toMatchObject({ status: "pending", attempts: 1 });
        receiverUp = true;
        h.clock.now += 61_000;
        h.faults.arm(n, "throw");
        const drained = await drainOutbox(h.app.services).then(() => null, (error: unknown) => error);
        const reached = h.faults.disarm();
        if (!reached) expect(drained).toBeNull();
        // Whatever the fault interrupted is claimed again once its lease runs out.
        for (let round = 0; round < 5 && (await deliveries())[0]?.status !== "succeeded"; round++) {
          h.clock.now += 10 * 60_000;
          await drainOutbox(h.app.services);
        }
        const [settled] = await deliveries();
        expect(settled, `fault at call ${n}`).toMatchObject({ id: queued!.id, status: "succeeded" });
        expect(received.length, `fault at call ${n}`).toBeGreaterThan(0);
        expect(new Set(received.map((entry) => `${entry.id}\n${entry.body}`)).size).toBe(1);
        expect(received[0]?.id).toBe(queued!.id);
        return reached;
      });
      expect(runs).toBeGreaterThan(2);
    });
  });

  describe(`${runtime}: storage faults: a customer's first read of a package`, () => {
    for (const kind of ["throw", "partial"] as const) {
      it(`a ${kind} fault while deriving a customer's p2 view: a clean 503, and the next read serves the whole view`, async () => {
        const h = await faultHarness(storage);
        const runs = await everyCallIndex(h, kind, async (n) => {
          h.faults.disarm();
          // A package per run: its customer view is derived (and stored) on the first read.
          const name = `acme/${unique(`view-${n}-`)}`;
          for (const version of ["1.0.0", "2.0.0"]) await h.client.uploadOk(h.admin, name, version);
          const group = await h.client.group(h.admin, [{ name, version: "<2.0" }]);
          const customer = await h.client.customer(h.admin, { groups: [group] });
          const read = () => h.client.p2Versions(customer.username, customer.token, name);
          h.faults.arm(n, kind);
          const response = await h.client.request(`/p2/${name}.json`, { headers: basic(customer.username, customer.token) });
          const reached = h.faults.disarm();
          if (response.status !== 200) await expectCleanUnavailable(response, `fault at call ${n} (${h.faults.trace[n - 1]})`);
          expect(await read(), `fault at call ${n} (${h.faults.trace[n - 1]})`).toEqual(["1.0.0"]);
          return reached;
        });
        expect(runs).toBeGreaterThan(1);
      });
    }
  });
}
