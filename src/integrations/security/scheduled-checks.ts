// The daily security check of every monitored package, spread over the scheduler's passes:
// each pass checks the few packages whose last check is more than a day old, the stalest
// first, and awaits them (the cron invocation's waitUntil holds it). Few per pass because the
// outbox shares the invocation's 50 subrequests (Free plan). Also fails edge jobs an ended
// invocation left running.
import type { Services } from "../../services.ts";
import { failAbandonedEdgeJobs } from "./edge-job-store.ts";
import { packagesDueForLockCheck } from "./monitored-package-store.ts";
import { queueSecurityCheck } from "./queue-check.ts";

export const LOCK_CHECK_INTERVAL_MS = 24 * 60 * 60_000;
const MAX_PER_PASS = 2;
/** Longer than any invocation may run (waitUntil: 30 s; Node: the provider timeouts). */
const ABANDONED_AFTER_MS = 15 * 60_000;

export async function runScheduledLockChecks(services: Services): Promise<{ checked: number; abandoned: number }> {
  const abandoned = await failAbandonedEdgeJobs(services, ABANDONED_AFTER_MS);
  const due = await packagesDueForLockCheck(services.db, services.now() - LOCK_CHECK_INTERVAL_MS, MAX_PER_PASS);
  for (const pkg of due) await (await queueSecurityCheck(services, pkg, "schedule")).run;
  return { checked: due.length, abandoned };
}
