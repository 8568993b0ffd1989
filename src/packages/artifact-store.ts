// Stores a checked release so that nothing half-written is ever visible and a lost race writes
// nothing: claim the version (upload-claim.ts), put the archive, then create the package if
// needed and insert the version row in one batch. A storage failure releases the claim, drops
// an archive no row points at, and answers 503 `storage_unavailable`: the same upload may be
// sent again.
import { and, eq } from "drizzle-orm";
import { distKey } from "../blobs/keys.ts";
import { packages, versions } from "../db/schema.ts";
import { AppError, conflict } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { bumpVersionsRevision, createPackageRow, findPackageByName, type PackageRow } from "./package-store.ts";
import { claimUpload, releaseUpload } from "./upload-claim-store.ts";

export const STORAGE_UNAVAILABLE = "storage_unavailable";

export interface CheckedRelease {
  name: string;
  archive: Uint8Array;
  /** The version row, but for its package id (the package may not exist yet). */
  row: Omit<typeof versions.$inferInsert, "packageId"> & { reference: string };
}


/** Publishes the release's row; returns its package. 409 when the version exists or is being uploaded. */
export async function storeRelease(services: Services, release: CheckedRelease): Promise<PackageRow> {
  const { name, row } = release;
  const duplicate = (detail: string) => conflict(`${name} ${row.version} ${detail}; versions are immutable.`, "duplicate_version");
  const claim = await retryable(services, "claiming the version", () => claimUpload(services, name, row.versionNormalized));
  if (!claim) throw duplicate("is being uploaded by another request");
  try {
    const current = await retryable(services, "reading the package", () => findPackageByName(services.db, name));
    if (current && (await publishedVersion(services, current.id, row.versionNormalized))) throw duplicate("already exists");
    // The archive goes in before the row: a version row must never point at a missing zipball.
    await retryable(services, "storing the archive", () => services.blobs.put(distKey(name, row.reference), release.archive));
    try {
      const pkg = current ?? (await createPackageRow(services, { name, kind: "artifact", repository: null }));
      await services.db.batch([services.db.orm.insert(versions).values({ ...row, packageId: pkg.id }), bumpVersionsRevision(services.db, pkg.id)]);
      return pkg;
    } catch (error) {
      await dropUnpublishedArchive(services, name, row.reference);
      if (String(error).includes("UNIQUE")) throw duplicate("already exists");
      throw error instanceof AppError ? error : storageUnavailable(services, "publishing the version", error);
    }
  } finally {
    await releaseUpload(services, claim).catch((error: unknown) => services.log.warn("upload claim not released (it expires)", { key: claim.key, error: String(error) }));
  }
}

/** Deletes an archive no version row points at (the same bytes may be published as another version). */
async function dropUnpublishedArchive(services: Services, name: string, reference: string): Promise<void> {
  try {
    const used = await services.db.orm
      .select({ id: versions.id })
      .from(versions)
      .innerJoin(packages, eq(packages.id, versions.packageId))
      .where(and(eq(packages.name, name), eq(versions.reference, reference)))
      .get();
    if (!used) await services.blobs.delete([distKey(name, reference)]);
  } catch (error) {
    services.log.warn("unpublished archive not removed", { name, reference, error: String(error) });
  }
}

const publishedVersion = (services: Services, packageId: number, versionNormalized: string) =>
  services.db.orm
    .select({ id: versions.id })
    .from(versions)
    .where(and(eq(versions.packageId, packageId), eq(versions.versionNormalized, versionNormalized)))
    .get();

/** A storage step that failed: nothing was published, and the same upload may be sent again. */
function storageUnavailable(services: Services, step: string, cause: unknown): AppError {
  services.log.error("upload failed in storage", { step, error: cause instanceof Error ? cause.message : String(cause) });
  return new AppError(503, STORAGE_UNAVAILABLE, `The upload failed while ${step}; nothing was published. Try again shortly.`, { cause });
}

async function retryable<T>(services: Services, step: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw error instanceof AppError ? error : storageUnavailable(services, step, error);
  }
}
