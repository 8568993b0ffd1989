// Publish times read from the version rows, for p2 documents stored before their publish
// times were kept beside them (they get theirs at the package's next publish).
import { eq } from "drizzle-orm";
import { publishedTimesOf, type PublishedTimes } from "../acl/published-at.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { packages, versions } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export function rowPublishedTimes(db: Database): (packageId: number) => Promise<PublishedTimes> {
  return async (packageId) => {
    const pkg = await db.orm.select({ kind: packages.kind }).from(packages).where(eq(packages.id, packageId)).get();
    const rows = await db.orm.select({ data: versions.data, createdAt: versions.createdAt }).from(versions).where(eq(versions.packageId, packageId)).all();
    return publishedTimesOf(pkg?.kind ?? "artifact", rows.map((row) => ({ entry: JSON.parse(row.data) as VersionEntry, createdAt: row.createdAt })));
  };
}
