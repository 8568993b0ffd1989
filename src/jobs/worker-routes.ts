// /api/worker/*: the git worker's side of the job table, authenticated by WORKER_TOKEN
// (compared in constant time). Workers poll: they need no inbound port.
import { Hono, type MiddlewareHandler } from "hono";
import { constantTimeEqual } from "../auth/constant-time.ts";
import type { AppEnv } from "../http/context.ts";
import { AppError, badRequest, conflict } from "../http/errors.ts";
import { readJsonObject, requiredString } from "../http/json-body.ts";
import { claimJob, finishJob, heartbeatJob, jobView } from "./queue.ts";

const DEFAULT_LEASE_MS = 60_000;

const requireWorkerToken = (): MiddlewareHandler<AppEnv> =>
  async function requireWorkerToken(c, next) {
    const presented = c.req.header("authorization")?.replace(/^Bearer\s+/i, "") ?? "";
    if (!constantTimeEqual(presented, c.get("services").config.workerToken)) throw new AppError(401, "unauthorized", "Invalid worker token.");
    await next();
  };

export function workerRoutes() {
  const api = new Hono<AppEnv>();
  api.use("*", requireWorkerToken());

  api.post("/jobs/claim", async (c) => {
    const body = await readJsonObject(c);
    const workerId = requiredString(body, "workerId", 100);
    const job = await claimJob(c.get("services"), workerId, leaseFrom(body.leaseMs));
    if (!job) return c.body(null, 204);
    return c.json({ ...jobView(job), payload: job.payload ?? {} });
  });

  api.post("/jobs/:id/heartbeat", async (c) => {
    const body = await readJsonObject(c);
    const held = await heartbeatJob(c.get("services"), c.req.param("id"), requiredString(body, "workerId", 100), leaseFrom(body.leaseMs));
    if (!held) throw conflict("This job's lease is no longer yours.", "lease_lost");
    return c.json({ status: "running" });
  });

  api.post("/jobs/:id/finish", async (c) => {
    const body = await readJsonObject(c, 4 * 1024 * 1024);
    const status = body.status;
    if (status !== "done" && status !== "failed") throw badRequest('"status" must be "done" or "failed".');
    const result = body.result && typeof body.result === "object" ? (body.result as Record<string, unknown>) : {};
    const finished = await finishJob(c.get("services"), c.req.param("id"), requiredString(body, "workerId", 100), { status, result });
    if (!finished) throw conflict("This job's lease is no longer yours.", "lease_lost");
    return c.json({ status });
  });

  return api;
}

function leaseFrom(raw: unknown): number {
  if (raw === undefined) return DEFAULT_LEASE_MS;
  if (typeof raw !== "number" || raw < 5_000 || raw > 15 * 60_000) throw badRequest('"leaseMs" must be between 5000 and 900000.');
  return raw;
}
