// On-demand zipball builds: the git worker publishes a large repository's versions before it
// has built every archive, and a Composer request for one of the others queues a
// "build-zipball" job. Requests coalesce: a package has at most one queued build job (the
// jobs_one_queued index), which collects the references asked for, at most
// MAX_QUEUED_REFERENCES of them, so a flood of requests cannot queue thousands of builds.
// The rule this gives a client (a mirror walking p2, Composer installing a few packages at a time):
// while a worker is alive, every request of one that keeps at most MAX_QUEUED_REFERENCES requests
// in flight for a package gets its archive. Its reference is in the running job (served when that
// job ends), or joins the one queued job, which has room: it only holds references of requests
// still waiting. More distinct references at once get 503 + Retry-After for the excess.
import { and, desc, eq, inArray, sql } from "drizzle-orm";
import { jobs } from "../db/schema.ts";
import type { Services } from "../services.ts";
import { BUILD_ZIPBALL } from "./wire.ts";

/** References one queued build job collects; more requests wait for the next job (503 + Retry-After). */
export const MAX_QUEUED_REFERENCES = 16;

export type BuildState =
  | { status: "pending" }
  /** The build ended: the archive is stored, or the commit is gone (`missing`), or it failed. */
  | { status: "done"; missing: boolean }
  | { status: "failed" };

/** The id of a queued or running build job that covers `reference`, queueing one if needed; null when the package has too many pending. */
export async function requestZipballBuild(services: Services, packageId: number, reference: string): Promise<string | null> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const pending = await pendingBuildOf(services, packageId, reference);
    if (pending) return pending;
    const payload = { references: [reference] };
    const inserted = await services.db.orm
      .insert(jobs)
      .values({ id: crypto.randomUUID(), kind: BUILD_ZIPBALL, packageId, status: "queued", payload, createdAt: services.now() })
      .onConflictDoNothing()
      .returning({ id: jobs.id })
      .get();
    if (inserted) {
      services.jobSignal.notify();
      return inserted.id;
    }
    // A queued build job exists: it takes this reference too, unless it is full (or was claimed in between).
    const appended = await services.db.orm
      .update(jobs)
      .set({ payload: sql`json_insert(${jobs.payload}, '$.references[#]', ${reference})` })
      .where(
        and(
          eq(jobs.packageId, packageId),
          eq(jobs.kind, BUILD_ZIPBALL),
          eq(jobs.status, "queued"),
          sql`json_array_length(${jobs.payload}, '$.references') < ${MAX_QUEUED_REFERENCES}`,
          sql`not exists (select 1 from json_each(${jobs.payload}, '$.references') where value = ${reference})`,
        ),
      )
      .returning({ id: jobs.id })
      .get();
    if (appended) return appended.id;
    if (await queuedBuildIsFull(services, packageId)) return null;
  }
  return (await pendingBuildOf(services, packageId, reference)) ?? null;
}

/** Where the build of `reference` by job `jobId` stands. */
export async function zipballBuildState(services: Services, jobId: string, reference: string): Promise<BuildState> {
  const job = await services.db.orm.select({ status: jobs.status, result: jobs.result }).from(jobs).where(eq(jobs.id, jobId)).get();
  if (!job || job.status === "failed") return { status: "failed" };
  if (job.status !== "done") return { status: "pending" };
  const missing = Array.isArray(job.result?.missing) && job.result.missing.includes(reference);
  return { status: "done", missing };
}

async function pendingBuildOf(services: Services, packageId: number, reference: string): Promise<string | undefined> {
  const row = await services.db.orm
    .select({ id: jobs.id })
    .from(jobs)
    .where(
      and(
        eq(jobs.packageId, packageId),
        eq(jobs.kind, BUILD_ZIPBALL),
        inArray(jobs.status, ["queued", "running"]),
        sql`exists (select 1 from json_each(${jobs.payload}, '$.references') where value = ${reference})`,
      ),
    )
    .orderBy(desc(jobs.createdAt))
    .get();
  return row?.id;
}

async function queuedBuildIsFull(services: Services, packageId: number): Promise<boolean> {
  const row = await services.db.orm
    .select({ count: sql<number>`json_array_length(${jobs.payload}, '$.references')` })
    .from(jobs)
    .where(and(eq(jobs.packageId, packageId), eq(jobs.kind, BUILD_ZIPBALL), eq(jobs.status, "queued")))
    .get();
  return row !== undefined && row.count >= MAX_QUEUED_REFERENCES;
}
