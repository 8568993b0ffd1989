// Jobs the edge runs itself (lock-file reviews, security checks), in the same job table as the
// git worker's, so their outcome shows on the jobs page and GET /api/jobs/{id}. They are
// inserted already running with NO lease: the worker's claim and the scheduler's lease expiry
// only look at leases, so no git worker ever picks one up. One the edge did not finish (the
// isolate was stopped) is failed by `failAbandonedEdgeJobs`.
import { and, eq, isNull, lt, sql } from "drizzle-orm";
import { jobs } from "../../db/schema.ts";
import type { Database } from "../../ports.ts";

export const EDGE_WORKER_ID = "edge";

export type EdgeJobKind = "lock-review" | "security-check";

export async function startEdgeJob(deps: { db: Database; now(): number }, kind: EdgeJobKind, payload: Record<string, unknown>): Promise<string> {
  const id = crypto.randomUUID();
  const now = deps.now();
  // No package id: a failed review must not make the scheduler retry the package's update.
  await deps.db.orm.insert(jobs).values({ id, kind, packageId: null, status: "running", payload, attempts: 1, workerId: EDGE_WORKER_ID, leaseUntil: null, createdAt: now, startedAt: now });
  return id;
}

export async function finishEdgeJob(deps: { db: Database; now(): number }, id: string, status: "done" | "failed", result: Record<string, unknown>): Promise<void> {
  await deps.db.orm
    .update(jobs)
    .set({ status, result, finishedAt: deps.now() })
    .where(and(eq(jobs.id, id), eq(jobs.workerId, EDGE_WORKER_ID), eq(jobs.status, "running")));
}

/** Edge jobs still running after `maxAgeMs`: their invocation ended without finishing them. */
export async function failAbandonedEdgeJobs(deps: { db: Database; now(): number }, maxAgeMs: number): Promise<number> {
  const rows = await deps.db.orm
    .update(jobs)
    .set({ status: "failed", finishedAt: deps.now(), result: sql`${JSON.stringify({ error: "The edge stopped before the job finished." })}` })
    .where(and(eq(jobs.workerId, EDGE_WORKER_ID), eq(jobs.status, "running"), isNull(jobs.leaseUntil), lt(jobs.startedAt, deps.now() - maxAgeMs)))
    .returning({ id: jobs.id });
  return rows.length;
}
