// The job table with leases. A worker claims the oldest runnable job in ONE statement (so two
// workers never get the same job), holds it by heartbeats, and a job whose lease ran out goes
// back to the queue: a killed worker loses nothing. At most one job per package runs at a time
// (on-demand zipball builds aside: they publish nothing).
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { jobs, packages } from "../db/schema.ts";
import type { Database } from "../ports.ts";
import type { Services } from "../services.ts";
import type { BUILD_ZIPBALL } from "./wire.ts";

export type JobKind = "create-package" | "update-package" | typeof BUILD_ZIPBALL;
export type JobRow = typeof jobs.$inferSelect;

/** Claims of one job before it is failed for good (a lease that keeps running out). */
export const MAX_ATTEMPTS = 5;

/** Queues a job; a queued job of the same kind for the same package absorbs the new request. */
export async function enqueueJob(services: Services, kind: JobKind, packageId: number | null, payload: Record<string, unknown>): Promise<JobRow> {
  const { db } = services;
  const inserted = await db.orm
    .insert(jobs)
    .values({ id: crypto.randomUUID(), kind, packageId, status: "queued", payload, createdAt: services.now() })
    .onConflictDoNothing()
    .returning()
    .get();
  if (inserted) {
    services.jobSignal.notify();
    return inserted;
  }
  // The unique index (package, kind) over queued jobs refused it: the queued one absorbs it.
  const pending = await db.orm
    .select()
    .from(jobs)
    .where(and(eq(jobs.packageId, packageId ?? -1), eq(jobs.kind, kind), eq(jobs.status, "queued")))
    .get();
  // Claimed in between: queue again (the running job may have started before this change).
  return pending ?? enqueueJob(services, kind, packageId, payload);
}

/**
 * `kinds`: only jobs of these kinds (the worker keeps one slot for on-demand zipball builds).
 * A build-zipball job goes first (a Composer request waits for it), and neither waits for nor
 * holds up another job of its package: it only adds an archive, from a commit already published.
 */
export async function claimJob(services: Services, workerId: string, leaseMs: number, kinds?: readonly string[]): Promise<JobRow | null> {
  const now = services.now();
  const kindFilter = kinds ? sql`and j.kind in (select value from json_each(${JSON.stringify(kinds)}))` : sql``;
  const rows = await services.db.orm.all<Record<string, unknown>>(sql`
    update jobs set status = 'running', worker_id = ${workerId}, lease_until = ${now + leaseMs},
      attempts = attempts + 1, started_at = ${now}
    where id = (
      select j.id from jobs j
      where (j.status = 'queued' or (j.status = 'running' and j.lease_until < ${now}))
        and j.attempts < ${MAX_ATTEMPTS} ${kindFilter}
        and (j.package_id is null or j.kind = 'build-zipball' or not exists (
          select 1 from jobs r where r.package_id = j.package_id and r.id != j.id and r.kind != 'build-zipball'
            and r.status = 'running' and r.lease_until >= ${now}))
      order by j.kind = 'build-zipball' desc, j.created_at limit 1)
    returning id`);
  const id = rows[0]?.id;
  if (typeof id !== "string") return null;
  return (await services.db.orm.select().from(jobs).where(eq(jobs.id, id)).get()) ?? null;
}

/** Extends the lease; false when the job is no longer this worker's (lease lost). */
export async function heartbeatJob(services: Services, jobId: string, workerId: string, leaseMs: number): Promise<boolean> {
  const row = await services.db.orm
    .update(jobs)
    .set({ leaseUntil: services.now() + leaseMs })
    .where(and(eq(jobs.id, jobId), eq(jobs.workerId, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id })
    .get();
  return row !== undefined;
}

export async function finishJob(
  services: Services,
  jobId: string,
  workerId: string,
  outcome: { status: "done" | "failed"; result: Record<string, unknown>; packageName?: string },
): Promise<boolean> {
  // A create-package job learns its package when it publishes: link it for the job's history.
  const packageId = outcome.packageName
    ? (await services.db.orm.select({ id: packages.id }).from(packages).where(eq(packages.name, outcome.packageName)).get())?.id
    : undefined;
  const row = await services.db.orm
    .update(jobs)
    .set({ status: outcome.status, result: outcome.result, finishedAt: services.now(), leaseUntil: null, ...(packageId ? { packageId } : {}) })
    .where(and(eq(jobs.id, jobId), eq(jobs.workerId, workerId), eq(jobs.status, "running")))
    .returning({ id: jobs.id })
    .get();
  // The package's next job may run now.
  if (row) services.jobSignal.notify();
  return row !== undefined;
}

export async function findJob(db: Database, id: string): Promise<JobRow | undefined> {
  return db.orm.select().from(jobs).where(eq(jobs.id, id)).get();
}

/** The job if `workerId` holds its lease right now. */
export async function heldJob(services: Services, jobId: string, workerId: string): Promise<JobRow | null> {
  const job = await services.db.orm.select().from(jobs).where(and(eq(jobs.id, jobId), eq(jobs.workerId, workerId), eq(jobs.status, "running"))).get();
  return job && (job.leaseUntil ?? 0) >= services.now() ? job : null;
}

/** The package keeps its last good metadata; the reason is shown to the admin. */
export async function recordUpdateError(services: Services, job: JobRow, message: string): Promise<void> {
  if (job.packageId === null) return;
  await services.db.orm.update(packages).set({ updateError: message.slice(0, 2000) }).where(eq(packages.id, job.packageId));
}

/** Jobs whose lease ran out too often are failed for good (cron / timer). */
export async function failExhaustedJobs(services: Services): Promise<void> {
  const now = services.now();
  await services.db.orm
    .update(jobs)
    .set({ status: "failed", finishedAt: now, result: { error: "The job's lease expired too many times." } })
    .where(and(eq(jobs.status, "running"), sql`${jobs.leaseUntil} < ${now}`, sql`${jobs.attempts} >= ${MAX_ATTEMPTS}`));
}

export function jobView(job: JobRow) {
  return {
    id: job.id,
    kind: job.kind,
    status: job.status,
    packageId: job.packageId,
    attempts: job.attempts,
    createdAt: new Date(job.createdAt).toISOString(),
    startedAt: job.startedAt ? new Date(job.startedAt).toISOString() : null,
    finishedAt: job.finishedAt ? new Date(job.finishedAt).toISOString() : null,
    ...(job.result ? { result: job.result } : {}),
  };
}

export interface JobListRow {
  id: string;
  kind: string;
  status: string;
  packageName: string | null;
  payload: Record<string, unknown> | null;
  result: Record<string, unknown> | null;
  attempts: number;
  createdAt: number;
  startedAt: number | null;
  finishedAt: number | null;
}

/** The newest jobs (with their package's name), optionally of one status or package. */
export async function recentJobs(db: Database, limit: number, options: { status?: string; packageId?: number } = {}): Promise<JobListRow[]> {
  const conditions = [
    options.status ? eq(jobs.status, options.status) : undefined,
    options.packageId !== undefined ? eq(jobs.packageId, options.packageId) : undefined,
  ].filter((condition) => condition !== undefined);
  return db.orm
    .select({
      id: jobs.id,
      kind: jobs.kind,
      status: jobs.status,
      packageName: packages.name,
      payload: jobs.payload,
      result: jobs.result,
      attempts: jobs.attempts,
      createdAt: jobs.createdAt,
      startedAt: jobs.startedAt,
      finishedAt: jobs.finishedAt,
    })
    .from(jobs)
    .leftJoin(packages, eq(packages.id, jobs.packageId))
    .where(conditions.length ? and(...conditions) : undefined)
    .orderBy(desc(jobs.createdAt))
    .limit(limit)
    .all();
}

/** The id of a queued or running create-package job for `repository`, if any. */
export async function pendingCreateJob(db: Database, repository: string): Promise<string | undefined> {
  const row = await db.orm
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, "create-package"), inArray(jobs.status, ["queued", "running"]), sql`json_extract(${jobs.payload}, '$.repository') = ${repository}`))
    .get();
  return row?.id;
}
