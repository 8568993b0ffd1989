// Re-reading packages nobody pushed to for a while (missed hooks, repositories without hooks).
// The work is spread out: each pass queues the share of packages that falls due in the time
// since the last pass, the stalest first, so that 1,000 packages with a 24 h interval and a
// pass a minute queue about one package a minute instead of 1,000 at midnight. Packages whose
// updates are disabled are left out entirely.
import { enqueueJob } from "../jobs/job-store.ts";
import type { Services } from "../services.ts";
import { countRecrawlable, stalePackageIds } from "./schedule-store.ts";

/** Bounds a pass's queries (D1 allows 50 per invocation on the Free plan, shared with the outbox). */
const MAX_PER_PASS = 10;

export async function queueStalePackages(services: Services, intervalMs: number, sinceLastPassMs: number): Promise<number> {
  if (intervalMs <= 0) return 0;
  const now = services.now();
  const total = await countRecrawlable(services.db);
  if (total === 0) return 0;
  const share = Math.ceil((total * Math.min(sinceLastPassMs, intervalMs)) / intervalMs);
  const limit = Math.min(MAX_PER_PASS, Math.max(1, share));
  const stale = await stalePackageIds(services.db, now, intervalMs, limit);
  for (const id of stale) await enqueueJob(services, "update-package", id, { force: false, scheduled: true });
  return stale.length;
}
