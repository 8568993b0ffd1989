// What a worker needs to run a job: the repository, its credentials (decrypted only here, sent
// over the worker-token channel, never to users), and the versions published so far (so an
// incremental update re-reads only refs whose commit changed).
import { eq } from "drizzle-orm";
import { credentials, packages, versions } from "../db/schema.ts";
import { SecretBox } from "../credentials/secret-box.ts";
import type { Services } from "../services.ts";
import type { JobRow } from "./queue.ts";

/** Sent to the worker by GET /api/worker/jobs/{id}/context (worker-git imports this type). */
export interface JobContext {
  kind: string;
  repository: string | null;
  packageName: string | null;
  force: boolean;
  credentials: { kind: string; secret: string; publicInfo: string | null } | null;
  published: Record<string, unknown>[];
}

export async function jobContext(services: Services, job: JobRow): Promise<JobContext> {
  const pkg = job.packageId === null ? undefined : await services.db.orm.select().from(packages).where(eq(packages.id, job.packageId)).get();
  const repository = pkg?.repository ?? (typeof job.payload?.repository === "string" ? job.payload.repository : null);
  const credentialsId = pkg ? pkg.credentialsId : typeof job.payload?.credentialsId === "number" ? job.payload.credentialsId : null;
  const stored = credentialsId === null ? undefined : await services.db.orm.select().from(credentials).where(eq(credentials.id, credentialsId)).get();
  const rows = pkg ? await services.db.orm.select({ data: versions.data }).from(versions).where(eq(versions.packageId, pkg.id)).all() : [];
  return {
    kind: job.kind,
    repository,
    packageName: pkg?.name ?? null,
    force: job.payload?.force === true,
    credentials: stored
      ? { kind: stored.kind, secret: await new SecretBox(services.config).open(stored.secretEnc), publicInfo: stored.publicInfo }
      : null,
    published: rows.map((row) => JSON.parse(row.data) as Record<string, unknown>),
  };
}
