// The contract suite's Workers runtime: the app inside workerd over real D1 and R2 bindings.
import { env } from "cloudflare:workers";
import { createApp } from "../../src/app.ts";
import { r2BlobStore } from "../../src/blobs/r2.ts";
import { d1Database } from "../../src/db/d1.ts";
import { TEST_CONFIG, type HarnessFactory } from "../contract/harness.ts";

export const workerdHarness: HarnessFactory = async (overrides = {}, ports = {}) => {
  const clock = { now: Date.now() };
  const config = { ...TEST_CONFIG, ...overrides };
  const make = () => createApp({ db: d1Database(env.DB), blobs: r2BlobStore(env.BLOBS), config, now: () => clock.now, ...ports });
  return { app: make(), clock, sibling: make };
};
