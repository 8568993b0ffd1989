// A package's p2 documents, switched in with the version changes they describe. Atomic and
// race-safe: the new documents go to content-addressed keys first, then ONE conditional row
// update (in the same batch as the version rows) switches the package to them, and only when
// they were built from a newer versions revision than the ones in place (so a slow rebuild
// never overwrites a newer one).
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { sha256Hex } from "../auth/constant-time.ts";
import { publishedTimesOf } from "../acl/published-at.ts";
import { newestEntry } from "../composer/package-summary.ts";
import { metadataDocKey, publishedTimesKey } from "../blobs/keys.ts";
import { buildP2Documents, isDevVersion } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { packages, versions } from "../db/schema.ts";
import type { BatchStatement, BlobStore } from "../ports.ts";
import type { Services } from "../services.ts";
import type { PackageRow } from "./package-rows.ts";

export async function rebuildDocuments(services: Services, packageId: number): Promise<void> {
  const { db } = services;
  const pkg = await db.orm.select().from(packages).where(eq(packages.id, packageId)).get();
  if (!pkg) return;
  // Read the revision BEFORE the versions: everything counted in `revision` is then in `rows`.
  const revision = pkg.versionsRev;
  const rows = await db.orm.select({ data: versions.data, createdAt: versions.createdAt }).from(versions).where(eq(versions.packageId, packageId)).orderBy(asc(versions.id)).all();
  const stored = rows.map((row) => ({ entry: JSON.parse(row.data) as VersionEntry, createdAt: row.createdAt }));
  const { statement } = await switchDocuments(services, pkg, stored, revision);
  await db.batch([tickClock(db, services.now()), statement]);
  services.catalog.invalidate(pkg.name);
}

/** A version as stored: its entry and when Satchel first published it (the row's created_at). */
export interface StoredVersion {
  entry: VersionEntry;
  createdAt: number;
}

/**
 * Runs `changes` to the package's versions and switches it to the documents of `after` (the
 * version set those changes produce from what `pkg` was read with) in ONE batch: a failure at
 * any step leaves the old versions with their old documents, never versions without documents.
 * A change committed by someone else in between leaves our documents out; they are then
 * rebuilt from what is stored.
 */
export async function commitVersions(services: Services, pkg: PackageRow, after: StoredVersion[], changes: BatchStatement[]): Promise<void> {
  const { db } = services;
  const revision = pkg.versionsRev + 1;
  const { statement } = await switchDocuments(services, pkg, after, revision, { onlyAtRevision: true });
  await db.batch([bumpVersionsRevision(services, pkg.id), ...changes, tickClock(db, services.now()), statement]);
  services.catalog.invalidate(pkg.name);
  // Committed: from here on a failure must not report the change as failed (a retry would meet
  // a 409). The next change to the package rebuilds whatever this leaves stale.
  try {
    const stored = await db.orm.select({ docsRev: packages.docsRev, versionsRev: packages.versionsRev }).from(packages).where(eq(packages.id, pkg.id)).get();
    if (stored && stored.docsRev < stored.versionsRev) await rebuildDocuments(services, pkg.id);
  } catch (error) {
    services.log.error("documents not rebuilt after a concurrent change", { package: pkg.name, error: String(error) });
  }
}

/**
 * Stores the documents of `entries` and gives the ONE conditional row update that switches
 * the package to them when they were built from a newer revision than the ones in place (and,
 * `onlyAtRevision`, when `revision` is the package's revision as the update runs).
 */
async function switchDocuments(services: Services, pkg: PackageRow, stored: StoredVersion[], revision: number, options: { onlyAtRevision?: boolean } = {}): Promise<{ statement: BatchStatement }> {
  const entries = stored.map(({ entry }) => entry);
  const documents = buildP2Documents(pkg.name, entries);
  const published = [...publishedTimesOf(pkg.kind, stored)];
  const timesOf = (dev: boolean) => JSON.stringify(Object.fromEntries(published.filter(([version]) => isDevVersion(version) === dev)));
  const [tagsKey, devKey] = await Promise.all([
    storeDocument(services.blobs, pkg.name, documents.tags, timesOf(false), pkg.tagsDocKey),
    storeDocument(services.blobs, pkg.name, documents.dev, timesOf(true), pkg.devDocKey),
  ]);
  const unchanged = tagsKey === pkg.tagsDocKey && devKey === pkg.devDocKey;
  const newest = newestEntry(entries);
  const atRevision = options.onlyAtRevision ? eq(packages.versionsRev, revision) : undefined;
  // Wrapped: a query builder is a thenable, and returning it from an async function would run it.
  const statement = services.db.orm
    .update(packages)
    .set({
      tagsDocKey: tagsKey,
      devDocKey: devKey,
      docsRev: revision,
      // Same bytes, same Last-Modified: clients keep their 304s.
      updatedClock: unchanged ? pkg.updatedClock : sql`${CLOCK_NOW}`,
      description: newest?.description ?? pkg.description,
      packageType: newest?.type ?? pkg.packageType ?? "library",
    })
    .where(and(eq(packages.id, pkg.id), lt(packages.docsRev, revision), atRevision));
  return { statement };
}

/**
 * Writes a document, with the publish times the freeze reads beside it, under a key that hashes
 * both (a view derived from (document, visibility) can never pair with other times). Only the
 * key already in place is known whole: any other may be the half-written leftover of a failed
 * try, so it is written again, times first.
 */
async function storeDocument(blobs: BlobStore, name: string, document: string, timesJson: string, inPlace: string | null): Promise<string> {
  const key = metadataDocKey(name, await sha256Hex(`${document}\n${timesJson}`));
  if (key !== inPlace) {
    await blobs.put(publishedTimesKey(key), timesJson);
    await blobs.put(key, document);
  }
  return key;
}

/** Statement that marks a package's versions as changed; run it in the same batch as the change. */
export function bumpVersionsRevision(services: Services, packageId: number) {
  return services.db.orm
    .update(packages)
    .set({ versionsRev: sql`${packages.versionsRev} + 1` })
    .where(eq(packages.id, packageId));
}
