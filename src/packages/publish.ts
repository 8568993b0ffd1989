// Rebuilds a package's p2 documents after its versions changed. Atomic and race-safe: the new
// documents go to content-addressed keys first, then ONE conditional row update switches the
// package to them, and only when they were built from a newer versions revision than the ones
// in place (so a slow rebuild never overwrites a newer one).
import { and, asc, eq, lt, sql } from "drizzle-orm";
import { sha256Hex } from "../auth/constant-time.ts";
import { metadataDocKey } from "../blobs/keys.ts";
import { buildP2Documents } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { packages, versions } from "../db/schema.ts";
import type { Services } from "../services.ts";

export async function rebuildDocuments(services: Services, packageId: number): Promise<void> {
  const { db, blobs } = services;
  const pkg = await db.orm.select().from(packages).where(eq(packages.id, packageId)).get();
  if (!pkg) return;
  // Read the revision BEFORE the versions: everything counted in `revision` is then in `rows`.
  const revision = pkg.versionsRev;
  const rows = await db.orm.select({ data: versions.data }).from(versions).where(eq(versions.packageId, packageId)).orderBy(asc(versions.id)).all();
  const entries = rows.map((row) => JSON.parse(row.data) as VersionEntry);
  const documents = buildP2Documents(pkg.name, entries);
  const [tagsKey, devKey] = await Promise.all(
    [documents.tags, documents.dev].map(async (document) => {
      const key = metadataDocKey(pkg.name, await sha256Hex(document));
      if (!(await blobs.has(key))) await blobs.put(key, document);
      return key;
    }),
  );
  const unchanged = tagsKey === pkg.tagsDocKey && devKey === pkg.devDocKey;
  const newest = newestEntry(entries);
  await db.batch([
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
  services.catalog.invalidate(pkg.name);
}

/** The entry whose description and type describe the package: the newest stable, else any. */
function newestEntry(entries: VersionEntry[]): VersionEntry | undefined {
  const byTime = [...entries].sort((a, b) => (b.time ?? "").localeCompare(a.time ?? ""));
  return byTime.find((entry) => !entry.version_normalized.endsWith("-dev") && !entry.version_normalized.startsWith("dev-")) ?? byTime[0];
}

/** Statement that marks a package's versions as changed; run it in the same batch as the change. */
export function bumpVersionsRevision(services: Services, packageId: number) {
  return services.db.orm
    .update(packages)
    .set({ versionsRev: sql`${packages.versionsRev} + 1` })
    .where(eq(packages.id, packageId));
}
