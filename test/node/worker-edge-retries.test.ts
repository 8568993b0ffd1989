// The git worker's edge client against the real app over HTTP whose storage fails once: it waits
// the Retry-After of the 503 and repeats the call, so the job completes instead of failing.
import type { AddressInfo } from "node:net";
import { serve, type ServerType } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EdgeClient, EdgeError } from "../../worker-git/src/run/edge-client.ts";
import { faultHarness, versionsSeen, type FaultHarness } from "../contract/fault-harness.ts";
import { packageZip, TEST_CONFIG } from "../contract/harness.ts";
import { nodeStorage } from "./node-storage.ts";

describe("the worker's edge client when the edge's storage fails", () => {
  let h: FaultHarness;
  let server: ServerType;
  let edge: EdgeClient;

  beforeAll(async () => {
    h = await faultHarness(nodeStorage);
    server = await new Promise<ServerType>((resolve) => {
      const started = serve({ fetch: h.app.fetch, hostname: "127.0.0.1", port: 0 }, () => resolve(started));
    });
    edge = new EdgeClient(`http://127.0.0.1:${(server.address() as AddressInfo).port}`, TEST_CONFIG.workerToken, "retrying-worker");
  });

  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it("repeats a publish refused with 503 + Retry-After, and the job completes", async () => {
    const name = "acme/retried";
    const { job } = await h.client.api<{ job: string }>(h.admin, "POST", "/api/create-package", { repository: `https://git.example.test/${name}.git` });
    const claimed = await edge.claim(0, 60_000);
    expect(claimed?.id).toBe(job);
    const reference = "ab".repeat(20);
    const shasum = await edge.uploadDist(name, reference, packageZip({ name }, { wrapIn: "acme-retried-abababa" }));
    const entry = { name, version: "1.0.0", version_normalized: "1.0.0.0", dist: { type: "zip", url: "", reference, shasum } };
    h.faults.arm(1);
    const started = Date.now();
    const summary = await edge.publish(job, name, [entry], []);
    expect(h.faults.disarm()).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(4500);
    expect(summary).toMatchObject({ package: name, added: ["1.0.0"] });
    expect(await versionsSeen(h, name)).toEqual(["1.0.0"]);
    expect((await h.client.api<{ status: string }>(h.admin, "GET", `/api/jobs/${job}`)).status).toBe("done");
  });

  it("does not repeat what a retry cannot fix (a lost lease)", async () => {
    const refused = await edge.publish("00000000-0000-0000-0000-000000000000", "acme/retried", [], []).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(EdgeError);
    expect((refused as EdgeError).status).toBe(409);
    expect((refused as EdgeError).retryAfterMs).toBeUndefined();
  });
});
