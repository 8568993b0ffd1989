// Two `npm run serve` boxes behind a load balancer: two Node servers over one libSQL database
// and one S3 bucket (s3rver here; sqld/Turso and S3/MinIO in production) serve the same
// metadata and archives, and a queued job goes to exactly one worker, whichever box it asks.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeServer, type RunningServer } from "../../src/node.ts";
import { packageZip } from "../contract/harness.ts";
import { startS3Server, type RunningS3Server } from "../support/s3-server.ts";

const KEYS = { JWT_SECRET: "shared-jwt-secret-0123456789", ENCRYPTION_KEY: "shared-encryption-key-0123456789", WORKER_TOKEN: "shared-worker-token-0123456789" };

describe("two Node servers on one database and one blob store", () => {
  let s3: RunningS3Server;
  const servers: RunningServer[] = [];
  let admin = "";

  beforeAll(async () => {
    s3 = await startS3Server("shared");
    // The SDK reads credentials from the environment, as in production.
    process.env.AWS_ACCESS_KEY_ID = "S3RVER";
    process.env.AWS_SECRET_ACCESS_KEY = "S3RVER";
    const shared = await mkdtemp(path.join(tmpdir(), "satchel-shared-"));
    for (const box of ["a", "b"]) {
      servers.push(
        await startNodeServer({
          ...KEYS,
          PORT: "0",
          SATCHEL_DATA_DIR: path.join(shared, box),
          SATCHEL_DATABASE_URL: `file:${path.join(shared, "satchel.db")}`,
          SATCHEL_BLOB_URL: `s3://shared?endpoint=${s3.endpoint}`,
          SATCHEL_DEFAULT_UPSTREAM: "none",
          ADMIN_USER: "admin",
          ADMIN_PASSWORD: "admin-password",
        }),
      );
    }
    const response = await fetch(`${servers[1]!.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "admin", password: "admin-password" }) });
    admin = ((await response.json()) as { token: string }).token;
  }, 60_000);

  afterAll(async () => {
    for (const server of servers) await server.close();
    await s3?.close();
  });

  it("serves what one box published from the other, metadata and archive alike", async () => {
    const [a, b] = servers as [RunningServer, RunningServer];
    const upload = await fetch(`${a.url}/api/packages/upload/acme/shared/1.0.0`, { method: "PUT", headers: { authorization: `Bearer ${admin}`, "content-type": "application/zip" }, body: packageZip({ name: "acme/shared" }) });
    expect(upload.status).toBe(201);
    const { reference } = (await upload.json()) as { reference: string };
    const p2 = await fetch(`${b.url}/p2/acme/shared.json`, { headers: { authorization: `Bearer ${admin}` } });
    expect(p2.status).toBe(200);
    expect(Object.keys(((await p2.json()) as { packages: Record<string, { version: string }[]> }).packages)).toEqual(["acme/shared"]);
    const [fromA, fromB] = await Promise.all(
      [a, b].map(async (server) => new Uint8Array(await (await fetch(`${server.url}/zipball/acme/shared/${reference}.zip`, { headers: { authorization: `Bearer ${admin}` } })).arrayBuffer())),
    );
    expect(fromB.length).toBeGreaterThan(0);
    expect([...fromB]).toEqual([...fromA!]);
  });

  it("gives each queued job to exactly one worker, whichever box the workers ask", async () => {
    const jobs = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const response = await fetch(`${servers[i % 2]!.url}/api/create-package`, { method: "POST", headers: { authorization: `Bearer ${admin}` }, body: JSON.stringify({ repository: `https://git.example.test/acme/shared-${i}.git` }) });
      expect(response.status).toBe(202);
      jobs.add(((await response.json()) as { job: string }).job);
    }
    const claims = await Promise.all(
      Array.from({ length: 16 }, async (_, i) => {
        const response = await fetch(`${servers[i % 2]!.url}/api/worker/jobs/claim`, { method: "POST", headers: { authorization: `Bearer ${KEYS.WORKER_TOKEN}` }, body: JSON.stringify({ workerId: `worker-${i}` }) });
        return response.status === 200 ? ((await response.json()) as { id: string }).id : null;
      }),
    );
    const claimed = claims.filter((id): id is string => id !== null);
    expect(new Set(claimed).size).toBe(claimed.length);
    expect(new Set(claimed)).toEqual(jobs);
  });
});
