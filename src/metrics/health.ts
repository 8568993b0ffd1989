// GET /healthz for load balancers: 200 while the database and the blob store answer (503
// otherwise). `?deep=1` adds timings, the job queue's oldest entry and the git worker's last poll.
import type { Handler } from "hono";
import type { AppEnv } from "../http/context.ts";
import { pingDatabase } from "../db/health.ts";
import { readOperationalStats } from "./operational-stats-store.ts";

async function timed(work: () => Promise<unknown>): Promise<{ ok: boolean; ms: number; error?: string }> {
  const started = performance.now();
  try {
    await work();
    return { ok: true, ms: Math.round((performance.now() - started) * 10) / 10 };
  } catch (error) {
    // The message names the failing layer; it holds no secret (no URLs with credentials are logged here).
    return { ok: false, ms: Math.round(performance.now() - started), error: error instanceof Error ? error.message.slice(0, 200) : "failed" };
  }
}

export const serveHealth: Handler<AppEnv> = async (c) => {
  const services = c.get("services");
  if (c.req.query("deep") !== "1") {
    await pingDatabase(services.db);
    await services.blobs.has("healthz");
    return c.json({ status: "ok" });
  }
  const [database, blobs] = await Promise.all([timed(() => pingDatabase(services.db)), timed(() => services.blobs.has("healthz"))]);
  const now = services.now();
  const stats = database.ok ? await readOperationalStats(services.db).catch(() => null) : null;
  const body = {
    status: database.ok && blobs.ok ? "ok" : "failing",
    database,
    blobs,
    queue: stats && { queued: stats.queued, running: stats.running, oldestQueuedAgeSeconds: stats.oldestQueuedAt === null ? null : Math.round((now - stats.oldestQueuedAt) / 1000) },
    worker: stats && { lastSeenSecondsAgo: stats.workerLastSeen === null ? null : Math.round((now - stats.workerLastSeen) / 1000) },
  };
  return c.json(body, database.ok && blobs.ok ? 200 : 503);
};
