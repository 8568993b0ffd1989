// The Node app (libSQL file + folder) over fault-injecting ports, with an admin token, and what
// it shows of a package on every endpoint (test/support/package-views.ts).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect } from "vitest";
import { createApp, type SatchelApp } from "../../src/app.ts";
import { folderBlobStore } from "../../src/blobs/folder.ts";
import { openLibsqlDatabase } from "../../src/db/libsql.ts";
import type { HookTransport } from "../../src/webhooks/outgoing/hook-runtime.ts";
import { Client } from "../contract/client.ts";
import { bearer, TEST_CONFIG, type Clock } from "../contract/harness.ts";
import { FaultSchedule, faultyBlobStore, faultyDatabase } from "../support/faulty-ports.ts";
import { visibleVersions } from "../support/package-views.ts";

const migrations = path.resolve(import.meta.dirname, "../../migrations");

export interface FaultHarness {
  app: SatchelApp;
  client: Client;
  clock: Clock;
  faults: FaultSchedule;
  admin: string;
}

export async function faultHarness(hookTransport?: HookTransport): Promise<FaultHarness> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-faults-"));
  const faults = new FaultSchedule();
  const clock = { now: Date.now() };
  const db = faultyDatabase(await openLibsqlDatabase(`file:${path.join(dir, "satchel.db")}`, migrations), faults);
  const blobs = faultyBlobStore(folderBlobStore(path.join(dir, "blobs")), faults);
  const silent = { info() {}, warn() {}, error() {} };
  const app = createApp({ db, blobs, config: TEST_CONFIG, now: () => clock.now, log: silent, ...(hookTransport ? { hookTransport } : {}) });
  const client = new Client(app);
  return { app, client, clock, faults, admin: await client.adminToken() };
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
export function versionsSeen(h: FaultHarness, name: string): Promise<string[] | null> {
  return visibleVersions((url) => h.client.request(url, { headers: bearer(h.admin) }), name);
}
