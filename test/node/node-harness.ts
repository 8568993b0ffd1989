// The contract suite's Node runtime: the app over a real libSQL file and a real folder.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { createApp } from "../../src/app.ts";
import { folderBlobStore } from "../../src/blobs/folder.ts";
import { openLibsqlDatabase } from "../../src/db/libsql.ts";
import { guardedNodeFetch } from "../../src/webhooks/outgoing/node-guarded-fetch.ts";
import { TEST_CONFIG, type HarnessFactory } from "../contract/harness.ts";

const migrations = path.resolve(import.meta.dirname, "../../migrations");

export const nodeHarness: HarnessFactory = async (overrides = {}, ports = {}) => {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-test-"));
  const url = `file:${path.join(dir, "satchel.db")}`;
  const clock = { now: Date.now() };
  const config = { ...TEST_CONFIG, ...overrides };
  const blobs = folderBlobStore(path.join(dir, "blobs"));
  // As src/node.ts wires it: webhook deliveries check the address they connect to.
  const nodePorts = { hookTransport: guardedNodeFetch(), ...ports };
  const app = createApp({ db: await openLibsqlDatabase(url, migrations), blobs, config, now: () => clock.now, ...nodePorts });
  const siblingDb = await openLibsqlDatabase(url, migrations);
  return { app, clock, sibling: () => createApp({ db: siblingDb, blobs, config, now: () => clock.now, ...nodePorts }) };
};
