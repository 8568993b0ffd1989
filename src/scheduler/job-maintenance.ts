// Keeping the job table healthy between requests: jobs whose worker vanished go back to the
// queue, failed updates are tried again with growing pauses, and old records are pruned.
import { and, inArray, lt, sql } from "drizzle-orm";
import { jobs, webhookAttempts, webhookDeliveries, webhookReceipts } from "../db/schema.ts";
import { enqueueJob, failExhaustedJobs, MAX_ATTEMPTS } from "../jobs/job-store.ts";
import type { Services } from "../services.ts";

/** Pauses before retry 1, 2 and 3 of a failed update; after that the regular re-crawl takes over. */
export const RETRY_BACKOFF_MS = [5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];

/** Running jobs whose lease ran out go back to the queue (or fail after too many claims). */
export async function expireLeases(services: Services): Promise<number> {
  const now = services.now();
  await failExhaustedJobs(services);
  // "or ignore": a package that already has a queued job keeps that one...
  const requeued = await services.db.orm.all<{ id: string }>(sql`
    update or ignore jobs set status = 'queued', worker_id = null, lease_until = null
    where status = 'running' and lease_until < ${now} and attempts < ${MAX_ATTEMPTS}
    returning id`);
  // ...and the expired one is closed as superseded by it.
  await services.db.orm.run(sql`
    update jobs set status = 'failed', finished_at = ${now}, lease_until = null,
      result = ${JSON.stringify({ error: "The worker stopped answering; a newer queued job replaces this one." })}
    where status = 'running' and lease_until < ${now} and attempts < ${MAX_ATTEMPTS}`);
  return requeued.length;
}

/** The latest job of a package that failed is queued again after its backoff, at most 3 times (never when its updates are disabled). */
export async function retryFailedUpdates(services: Services): Promise<number> {
  const now = services.now();
  const failed = await services.db.orm.all<{ package_id: number; payload: string | null; finished_at: number | null }>(sql`
    select j.package_id, j.payload, j.finished_at from jobs j
    where j.status = 'failed' and j.package_id is not null and j.finished_at > ${now - 86_400_000}
      and not exists (select 1 from jobs n where n.package_id = j.package_id and n.id != j.id and n.created_at >= j.created_at)
      and not exists (select 1 from packages p where p.id = j.package_id and p.updates_disabled = 1)
    limit 50`);
  let queued = 0;
  for (const job of failed) {
    const retry = retryNumber(job.payload);
    const due = (job.finished_at ?? now) + (RETRY_BACKOFF_MS[retry] ?? Number.POSITIVE_INFINITY);
    if (due > now) continue;
    await enqueueJob(services, "update-package", job.package_id, { force: false, retry: retry + 1 });
    queued++;
  }
  return queued;
}

/** Finished jobs, sent deliveries and hook receipts older than the retention period. */
export async function pruneOldRecords(services: Services, retentionMs: number): Promise<{ jobs: number; deliveries: number; receipts: number }> {
  const { orm } = services.db;
  const before = services.now() - retentionMs;
  const oldJobs = await orm.delete(jobs).where(and(inArray(jobs.status, ["done", "failed"]), lt(sql`coalesce(${jobs.finishedAt}, ${jobs.createdAt})`, before))).returning({ id: jobs.id });
  const finished = and(inArray(webhookDeliveries.status, ["succeeded", "failed"]), lt(webhookDeliveries.createdAt, before));
  await orm.delete(webhookAttempts).where(inArray(webhookAttempts.deliveryId, orm.select({ id: webhookDeliveries.id }).from(webhookDeliveries).where(finished)));
  const deliveries = await orm.delete(webhookDeliveries).where(finished).returning({ id: webhookDeliveries.id });
  const receipts = await orm.delete(webhookReceipts).where(lt(webhookReceipts.receivedAt, before)).returning({ id: webhookReceipts.deliveryId });
  return { jobs: oldJobs.length, deliveries: deliveries.length, receipts: receipts.length };
}

function retryNumber(payload: string | null): number {
  try {
    const retry = payload ? (JSON.parse(payload) as { retry?: unknown }).retry : 0;
    return typeof retry === "number" && retry >= 0 ? retry : 0;
  } catch {
    return 0;
  }
}
