// What /metrics reads from the database at scrape time (never on the request path): the job
// queue, job durations, webhook delivery outcomes, upstream health and mirror hit counts, and
// the worker's last visit.
import { eq, sql } from "drizzle-orm";
import { jobs, meta, upstreams, webhookDeliveries } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";

const WORKER_SEEN_KEY = "worker_last_seen";

export interface OperationalStats {
  queued: number;
  running: number;
  oldestQueuedAt: number | null;
  /** Finished jobs still kept (SATCHEL_RETENTION_DAYS), with their durations in ms. */
  finishedDurations: { status: string; ms: number }[];
  deliveries: { status: string; count: number }[];
  upstreams: { name: string; hits: number; misses: number; requests: number; lastErrorAt: number | null; lastSyncAt: number | null }[];
  workerLastSeen: number | null;
}

export async function readOperationalStats(db: Database): Promise<OperationalStats> {
  const reads = [
    db.orm.select({ status: jobs.status, n: sql<number>`count(*)`, oldest: sql<number | null>`min(${jobs.createdAt})` }).from(jobs).where(sql`${jobs.status} in ('queued', 'running')`).groupBy(jobs.status),
    db.orm.select({ status: jobs.status, ms: sql<number>`${jobs.finishedAt} - ${jobs.startedAt}` }).from(jobs).where(sql`${jobs.finishedAt} is not null and ${jobs.startedAt} is not null`),
    db.orm.select({ status: webhookDeliveries.status, count: sql<number>`count(*)` }).from(webhookDeliveries).groupBy(webhookDeliveries.status),
    db.orm.select({ name: upstreams.name, hits: upstreams.hits, misses: upstreams.misses, requests: upstreams.upstreamRequests, lastErrorAt: upstreams.lastErrorAt, lastSyncAt: upstreams.lastSyncAt }).from(upstreams),
    db.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, WORKER_SEEN_KEY)),
  ];
  const [queue, finished, deliveries, upstreamRows, seen] = (await db.batch(reads as unknown as [BatchStatement, ...BatchStatement[]])) as [
    { status: string; n: number; oldest: number | null }[],
    { status: string; ms: number }[],
    { status: string; count: number }[],
    OperationalStats["upstreams"],
    { value: string }[],
  ];
  const queuedRow = queue.find((row) => row.status === "queued");
  return {
    queued: Number(queuedRow?.n ?? 0),
    running: Number(queue.find((row) => row.status === "running")?.n ?? 0),
    oldestQueuedAt: queuedRow?.oldest === null || queuedRow?.oldest === undefined ? null : Number(queuedRow.oldest),
    finishedDurations: finished.map((row) => ({ status: row.status, ms: Number(row.ms) })),
    deliveries: deliveries.map((row) => ({ status: row.status, count: Number(row.count) })),
    upstreams: upstreamRows,
    workerLastSeen: seen[0] ? Number(seen[0].value) : null,
  };
}

/** Remembers the git worker's visit, at most once per `everyMs` per process (not a write per poll). */
export class WorkerPresence {
  #lastWritten = 0;
  readonly #everyMs: number;
  constructor(everyMs = 30_000) {
    this.#everyMs = everyMs;
  }

  async seen(db: Database, now: number): Promise<void> {
    if (now - this.#lastWritten < this.#everyMs) return;
    this.#lastWritten = now;
    const value = String(now);
    await db.orm.insert(meta).values({ key: WORKER_SEEN_KEY, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
  }
}
