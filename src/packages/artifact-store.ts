// Stores a checked release so that nothing half-written is ever visible and a lost race writes
// nothing: claim the version (upload-claim-store.ts), put the archive, then create the package if
// needed and commit the version row, its p2 documents and its webhook events in one batch
// (publish.ts commitVersions). A storage failure releases the claim, drops
// an archive no row points at, and answers 503 `unavailable` (as every storage failure does, src/http/errors.ts): the same upload may be
// sent again.
import { and, eq } from "drizzle-orm";
import { distKey } from "../blobs/keys.ts";
import { packages, versions } from "../db/schema.ts";
import { AppError, conflict } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { createPackageRow, findPackageByName, versionDocuments, type PackageRow } from "./package-store.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { publishEventInserts, type Actor } from "../webhooks/outgoing/package-events.ts";
import { commitVersions } from "./rebuild-documents.ts";
import { claimUpload, releaseUpload } from "./upload-claim-store.ts";

/** The code of every storage failure's 503 (src/http/errors.ts unavailableResponse). */
const STORAGE_UNAVAILABLE = "unavailable";

export interface CheckedRelease {
  name: string;
  archive: Uint8Array;
  entry: VersionEntry;
  /** The version row, but for its package id (the package may not exist yet). */
  row: Omit<typeof versions.$inferInsert, "packageId"> & { reference: string; createdAt: number };
}


/** Publishes the release's row; returns its package. 409 when the version exists or is being uploaded. */
export async function storeRelease(services: Services, release: CheckedRelease, actor: Actor = null): Promise<PackageRow> {
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
      const stored = await versionDocuments(services.db, pkg.id);
      const after = [...stored.map((version) => ({ entry: JSON.parse(version.data) as VersionEntry, createdAt: version.createdAt })), { entry: release.entry, createdAt: row.createdAt }];
      const summary = { package: name, added: [row.version], updated: [], removed: [], kept: [] };
      // A package whose first upload failed after creating its row is announced by the one that lands.
      const { inserts: events } = await publishEventInserts(services, summary, pkg, [release.entry], { created: !current || stored.length === 0, actor });
      await commitVersions(services, pkg, after, [...events, services.db.orm.insert(versions).values({ ...row, packageId: pkg.id })]);
      if (events.length) services.hooks.requestDrain();
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
