// The app over a runtime's real storage wrapped in fault-injecting ports, with an admin token,
// and what it shows of a package on every endpoint (test/support/package-views.ts).
import { createApp, type SatchelApp } from "../../src/app.ts";
import type { BlobStore, Database } from "../../src/ports.ts";
import type { HookTransport } from "../../src/ports.ts";
import { FaultSchedule, faultyBlobStore, faultyDatabase } from "../support/faulty-ports.ts";
import { visibleVersions } from "../support/package-views.ts";
import { Client } from "./client.ts";
import { bearer, TEST_CONFIG, type Clock } from "./harness.ts";
import { expect } from "vitest";

export interface FaultHarness {
  app: SatchelApp;
  client: Client;
  clock: Clock;
  faults: FaultSchedule;
  admin: string;
  /** Another app over the same storage without faults or caches: a reader while a write runs. */
  reader: Client;
}

/** A runtime's real storage (Node: a libSQL file and a folder; workerd: D1 and R2). */
export type StoragePorts = () => Promise<{ db: Database; blobs: BlobStore }>;

/** The app over `storage` wrapped in fault injection, with an admin token. */
export async function faultHarness(storage: StoragePorts, hookTransport?: HookTransport): Promise<FaultHarness> {
  const faults = new FaultSchedule();
  const clock = { now: Date.now() };
  const { db, blobs } = await storage();
  const silent = { info() {}, warn() {}, error() {} };
  const app = createApp({ db: faultyDatabase(db, faults), blobs: faultyBlobStore(blobs, faults), config: TEST_CONFIG, now: () => clock.now, log: silent, ...(hookTransport ? { hookTransport } : {}) });
  const client = new Client(app);
  const reader = new Client(createApp({ db, blobs, config: { ...TEST_CONFIG, cacheTtlMs: 0 }, now: () => clock.now, log: silent }));
  return { app, client, clock, faults, reader, admin: await client.adminToken() };
}

/** A failed request under a fault: a clean 503 with Retry-After and no internals. */
export async function expectCleanUnavailable(response: Response, context: string): Promise<void> {
  const text = await response.text();
  expect(response.status, `${context}: ${text}`).toBe(503);
  expect(Number(response.headers.get("retry-after")), context).toBeGreaterThan(0);
  expect(JSON.parse(text), context).toEqual({ error: { code: "unavailable", message: expect.any(String) } });
  expect(text, context).not.toMatch(/injected|stack|at \w+ \(|sqlite|libsql|blob\./i);
}

/** The release versions `name` shows, the same on every endpoint (see visibleVersions). */
export function versionsSeen(h: FaultHarness, name: string, client = h.client): Promise<string[] | null> {
  return visibleVersions((url) => client.request(url, { headers: bearer(h.admin) }), name);
}

/** A receiver that takes every delivery (the deliveries' log is what the tests read). */
export const acceptingTransport: HookTransport = async () => new Response("ok");

/** A hook for `name`'s new releases; returns a reader of the versions its deliveries announced. */
export async function announcedReleases(h: FaultHarness, name: string): Promise<() => Promise<string[]>> {
  await h.client.api(h.admin, "POST", "/api/webhook-allowed-hosts", { host: "127.0.0.1" });
  const hook = await h.client.api<{ id: number }>(h.admin, "POST", "/api/webhooks", { name: `${name.replace("/", "-")}-releases`, url: "http://127.0.0.1:9/hook", events: ["new_release"], packageFilter: name });
  return async () => {
    const { deliveries } = await h.client.api<{ deliveries: { event: string; request: { body: string } }[] }>(h.admin, "GET", `/api/webhooks/${hook.id}/deliveries`);
    const versions = deliveries.flatMap((delivery) => (JSON.parse(delivery.request.body) as { versions: { version: string }[] }).versions.map((entry) => entry.version));
    return [...versions].sort();
  };
}
