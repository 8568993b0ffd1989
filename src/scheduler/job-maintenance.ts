// Keeping the job table healthy between requests: jobs whose worker vanished go back to the
// queue, failed updates are tried again with growing pauses, and old records are pruned.
import { enqueueJob, failExhaustedJobs, MAX_ATTEMPTS } from "../jobs/job-store.ts";
import type { Services } from "../services.ts";
import { pruneRecordsBefore, recentFailedUpdates, requeueExpiredJobs } from "./schedule-store.ts";

/** Pauses before retry 1, 2 and 3 of a failed update; after that the regular re-crawl takes over. */
export const RETRY_BACKOFF_MS = [5 * 60_000, 30 * 60_000, 2 * 60 * 60_000];

/** Running jobs whose lease ran out go back to the queue (or fail after too many claims). */
export async function expireLeases(services: Services): Promise<number> {
  const now = services.now();
  await failExhaustedJobs(services);
  return requeueExpiredJobs(services.db, now, MAX_ATTEMPTS);
}

/** The latest job of a package that failed is queued again after its backoff, at most 3 times (never when its updates are disabled). */
export async function retryFailedUpdates(services: Services): Promise<number> {
  const now = services.now();
  const failed = await recentFailedUpdates(services.db, now);
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
  return pruneRecordsBefore(services.db, services.now() - retentionMs);
}

function retryNumber(payload: string | null): number {
  try {
    const retry = payload ? (JSON.parse(payload) as { retry?: unknown }).retry : 0;
    return typeof retry === "number" && retry >= 0 ? retry : 0;
  } catch {
    return 0;
  }
}
