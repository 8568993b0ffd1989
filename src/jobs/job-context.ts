// What a worker needs to run a job: the repository, its credentials (decrypted only here, sent
// over the worker-token channel, never to users), and the versions published so far (so an
// incremental update re-reads only refs whose commit changed).
import { findCredential } from "../credentials/credential-store.ts";
import { findPackage, versionDocuments } from "../packages/package-store.ts";
import { SecretBox } from "../credentials/secret-box.ts";
import type { Services } from "../services.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { JobRow } from "./job-store.ts";
import type { JobContext } from "./wire.ts";
import { BUILD_ZIPBALL } from "./wire.ts";

export async function jobContext(services: Services, job: JobRow): Promise<JobContext> {
  const pkg = job.packageId === null ? undefined : await findPackage(services.db, job.packageId);
  const repository = pkg?.repository ?? (typeof job.payload?.repository === "string" ? job.payload.repository : null);
  const credentialsId = pkg ? pkg.credentialsId : typeof job.payload?.credentialsId === "number" ? job.payload.credentialsId : null;
  const stored = credentialsId === null ? undefined : await findCredential(services.db, credentialsId);
  // An on-demand archive build needs the references asked for, not the published versions.
  const references = job.kind === BUILD_ZIPBALL && Array.isArray(job.payload?.references) ? job.payload.references.filter((ref) => typeof ref === "string") : undefined;
  const rows = pkg && !references ? await versionDocuments(services.db, pkg.id) : [];
  return {
    kind: job.kind,
    repository,
    packageName: pkg?.name ?? null,
    force: job.payload?.force === true,
    credentials: stored
      ? { kind: stored.kind, secret: await new SecretBox(services.config).open(stored.secretEnc), publicInfo: stored.publicInfo }
      : null,
    published: rows.map((row) => JSON.parse(row.data) as VersionEntry),
    ...(references ? { references } : {}),
  };
}
