// Rebuilds a package's p2 documents after its versions changed. Atomic and race-safe: the new
// documents go to content-addressed keys first, then ONE conditional row update switches the
// package to them, and only when they were built from a newer versions revision than the ones
// in place (so a slow rebuild never overwrites a newer one).
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { sha256Hex } from "../auth/constant-time.ts";
import { publishedTimesOf } from "../acl/published-at.ts";
import { newestEntry } from "../composer/package-summary.ts";
import { metadataDocKey, publishedTimesKey } from "../blobs/keys.ts";
import { buildP2Documents, isDevVersion } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { packages, versions } from "../db/schema.ts";
import { GcMarks, keepBlobsStatements } from "../gc/gc-marks.ts";
import type { Services } from "../services.ts";

export async function rebuildDocuments(services: Services, packageId: number): Promise<void> {
  const { db } = services;
  const pkg = await db.orm.select().from(packages).where(eq(packages.id, packageId)).get();
  if (!pkg) return;
  // Read the revision BEFORE the versions: everything counted in `revision` is then in `rows`.
  const revision = pkg.versionsRev;
  const rows = await db.orm.select({ data: versions.data, createdAt: versions.createdAt }).from(versions).where(eq(versions.packageId, packageId)).orderBy(asc(versions.id)).all();
  const entries = rows.map((row) => JSON.parse(row.data) as VersionEntry);
  const documents = buildP2Documents(pkg.name, entries);
  const published = [...publishedTimesOf(pkg.kind, rows.map((row, i) => ({ entry: entries[i] as VersionEntry, createdAt: row.createdAt })))];
  const timesOf = (dev: boolean) => JSON.stringify(Object.fromEntries(published.filter(([version]) => isDevVersion(version) === dev)));
  const store = (force: boolean) =>
    Promise.all([storeDocument(services, pkg.name, documents.tags, timesOf(false), force), storeDocument(services, pkg.name, documents.dev, timesOf(true), force)]);
  const [tagsKey, devKey] = await store(false);
  const unchanged = tagsKey === pkg.tagsDocKey && devKey === pkg.devDocKey;
  const newest = newestEntry(entries);
  const blobKeys = [tagsKey, devKey].flatMap((key) => [key, publishedTimesKey(key)]);
  const switchRow = () => db.batch([
    ...keepBlobsStatements(db, blobKeys),
    tickClock(db, services.now()),
    db.orm
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
      .where(and(eq(packages.id, packageId), lt(packages.docsRev, revision))),
  ]);
  await switchWhileCollected(services, blobKeys, switchRow, () => store(true));
  services.catalog.invalidate(pkg.name);
}

/**
 * Stores a document with the publish times the freeze reads beside it. The key hashes both, so
 * a view derived from (document, visibility) can never pair with other times.
 */
async function storeDocument(services: Services, name: string, document: string, timesJson: string, force: boolean): Promise<string> {
  const key = metadataDocKey(name, await sha256Hex(`${document}\n${timesJson}`));
  if (force || !(await services.blobs.has(key))) {
    await services.blobs.put(publishedTimesKey(key), timesJson);
    await services.blobs.put(key, document);
  }
  return key;
}

/**
 * Runs the batch that points the package at `keys`. If garbage collection was deleting one of
 * them (an old document coming back), waits for that pass, stores them again and retries.
 */
async function switchWhileCollected(services: Services, keys: string[], switchRow: () => Promise<unknown>, storeAgain: () => Promise<unknown>): Promise<void> {
  const marks = new GcMarks(services.db);
  for (let attempt = 0; ; attempt++) {
    try {
      await switchRow();
      return;
    } catch (error) {
      if (attempt >= 5 || !(await marks.deletingAny(keys))) throw error;
    }
    while (await marks.deletingAny(keys)) await new Promise((resolve) => setTimeout(resolve, 50));
    await storeAgain();
  }
}

/** Statement that marks a package's versions as changed; run it in the same batch as the change. */
export function bumpVersionsRevision(services: Services, packageId: number) {
  return services.db.orm
    .update(packages)
    .set({ versionsRev: sql`${packages.versionsRev} + 1` })
    .where(eq(packages.id, packageId));
}
