// The scheduler's reads and writes across tables: expired job leases, failed updates to retry,
// packages due for a re-crawl, old records to prune, and when the last pass ran.
import { and, eq, inArray, lt, sql } from "drizzle-orm";
import { jobs, meta, webhookAttempts, webhookDeliveries, webhookReceipts } from "../db/schema.ts";
import type { Database } from "../ports.ts";

/**
 * Running jobs whose lease ran out go back to the queue ("or ignore": a package that already has
 * a queued job keeps that one, and the expired one is closed as superseded by it). How many went back.
 */
export async function requeueExpiredJobs(db: Database, now: number, maxAttempts: number): Promise<number> {
  const requeued = await db.orm.all<{ id: string }>(sql`
    update or ignore jobs set status = 'queued', worker_id = null, lease_until = null
    where status = 'running' and lease_until < ${now} and attempts < ${maxAttempts}
    returning id`);
  await db.orm.run(sql`
    update jobs set status = 'failed', finished_at = ${now}, lease_until = null,
      result = ${JSON.stringify({ error: "The worker stopped answering; a newer queued job replaces this one." })}
    where status = 'running' and lease_until < ${now} and attempts < ${maxAttempts}`);
  return requeued.length;
}

/** Each package's latest job when it failed within a day (packages with updates disabled left out), at most 50. */
export async function recentFailedUpdates(db: Database, now: number): Promise<{ package_id: number; payload: string | null; finished_at: number | null }[]> {
  return db.orm.all(sql`
    select j.package_id, j.payload, j.finished_at from jobs j
    where j.status = 'failed' and j.package_id is not null and j.finished_at > ${now - 86_400_000}
      and not exists (select 1 from jobs n where n.package_id = j.package_id and n.id != j.id and n.created_at >= j.created_at)
      and not exists (select 1 from packages p where p.id = j.package_id and p.updates_disabled = 1)
    limit 50`);
}

/** Finished jobs, sent deliveries (with their attempts) and hook receipts older than `before`. */
export async function pruneRecordsBefore(db: Database, before: number): Promise<{ jobs: number; deliveries: number; receipts: number }> {
  const { orm } = db;
  const oldJobs = await orm.delete(jobs).where(and(inArray(jobs.status, ["done", "failed"]), lt(sql`coalesce(${jobs.finishedAt}, ${jobs.createdAt})`, before))).returning({ id: jobs.id });
  const finished = and(inArray(webhookDeliveries.status, ["succeeded", "failed"]), lt(webhookDeliveries.createdAt, before));
  await orm.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, orm.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(finished)));
  const deliveries = await orm.delete(webhookDeliveries).where(finished).returning({ id: webhookDeliveries.id });
  const receipts = await orm.delete(webhookReceipts).where(lt(webhookReceipts.receivedAt, before)).returning({ id: webhookReceipts.deliveryId });
  return { jobs: oldJobs.length, deliveries: deliveries.length, receipts: receipts.length };
}

/** VCS packages the scheduler may re-crawl (a repository, updates not disabled). */
export async function countRecrawlable(db: Database): Promise<number> {
  const count = await db.orm.get<{ n: number }>(sql`select count(*) as n from packages where kind = 'vcs' and repository is not null and updates_disabled = 0`);
  return Number(count?.n ?? 0);
}

/** Stale packages, least recently read first: not read within the interval, and no job (queued, running, or tried) within it. */
export async function stalePackageIds(db: Database, now: number, intervalMs: number, limit: number): Promise<number[]> {
  const stale = await db.orm.all<{ id: number }>(sql`
    select p.id from packages p
    where p.kind = 'vcs' and p.repository is not null and p.updates_disabled = 0 and coalesce(p.crawled_at, 0) < ${now - intervalMs}
      and not exists (select 1 from jobs j where j.package_id = p.id
        and (j.status in ('queued', 'running') or j.created_at > ${now - intervalMs}))
    order by coalesce(p.crawled_at, 0), p.id
    limit ${limit}`);
  return stale.map((row) => row.id);
}

/** Records this pass's time under `key`; the previous pass's, or null on the first. */
export async function swapLastRun(db: Database, key: string, now: number): Promise<number | null> {
  const last = await db.orm.select().from(meta).where(eq(meta.key, key)).get();
  await db.orm.run(sql`insert into meta (key, value) values (${key}, ${String(now)})
    on conflict (key) do update set value = excluded.value`);
  return last ? Number(last.value) : null;
}
