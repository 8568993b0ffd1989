// The Node app (libSQL file + folder) over fault-injecting ports, and a reader that checks what
// every Composer endpoint and the REST API show of one package agrees: one version set, every
// zipball it names whole.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync } from "fflate";
import { expect } from "vitest";
import { createApp, type SatchelApp } from "../../src/app.ts";
import { folderBlobStore } from "../../src/blobs/folder.ts";
import { openLibsqlDatabase } from "../../src/db/libsql.ts";
import type { HookTransport } from "../../src/webhooks/outgoing/hook-runtime.ts";
import { Client } from "../contract/client.ts";
import { bearer, TEST_CONFIG, type Clock } from "../contract/harness.ts";
import { FaultSchedule, faultyBlobStore, faultyDatabase } from "../support/faulty-ports.ts";

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

/**
 * The version set `name` shows, identical across p2 (tags and ~dev), /api/packages/{name},
 * list.json and search; every zipball p2 names is served whole. Returns null when the package
 * is not visible anywhere (not created yet, or created without versions).
 */
export async function visibleVersions(h: FaultHarness, name: string): Promise<string[] | null> {
  const auth = bearer(h.admin);
  const get = async (url: string) => h.client.request(url, { headers: auth });
  const [tags, dev, api, list] = await Promise.all([get(`/p2/${name}.json`), get(`/p2/${name}~dev.json`), get(`/api/packages/${name}`), get("/packages/list.json")]);
  expect((await get("/packages.json")).status).toBe(200);
  const listed = ((await list.json()) as { packageNames: string[] }).packageNames.includes(name);
  if (tags.status === 404) {
    expect(dev.status).toBe(404);
    expect(api.status).toBe(404);
    expect(listed).toBe(false);
    return null;
  }
  expect(tags.status).toBe(200);
  expect(dev.status).toBe(200);
  expect(api.status).toBe(200);
  const entries = ((await tags.json()) as { packages: Record<string, { version: string; dist?: { url: string; reference: string } }[]> }).packages[name] ?? [];
  const devEntries = ((await dev.json()) as { packages: Record<string, unknown[]> }).packages[name] ?? [];
  const apiVersions = ((await api.json()) as { versions: { version: string }[] }).versions.map((entry) => entry.version);
  const p2Versions = entries.map((entry) => entry.version);
  expect(devEntries).toEqual([]);
  expect([...apiVersions].sort(), "the REST API and p2 disagree").toEqual([...p2Versions].sort());
  for (const entry of entries) {
    const dist = entry.dist;
    expect(dist, `${name} ${entry.version} has a dist`).toBeDefined();
    const zip = await get(new URL(dist!.url).pathname);
    expect(zip.status, `zipball of ${entry.version}`).toBe(200);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    const composerJson = Object.keys(files).find((file) => file.endsWith("composer.json"));
    expect(composerJson, `zipball of ${entry.version} is whole`).toBeDefined();
  }
  if (p2Versions.length === 0) return listed ? [] : null;
  expect(listed).toBe(true);
  return p2Versions.sort();
}
