// Which blobs rows refer to right now, and how long an unreferenced one is kept. Read in one
// batch, so the answer is one moment's.
import { eq } from "drizzle-orm";
import { distKey, mirrorDistKey } from "../blobs/keys.ts";
import { mirrorDists, mirrorDocuments, packages, versions } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";

export interface RetentionRules {
  /** How long any unreferenced blob is kept (requests in flight, caches of package pointers). */
  graceMs: number;
  /** Archives of commits no version points at any more (old dev-branch heads) of packages that still exist. */
  devZipballMs: number;
}

/** Null: never collected. Else how long after first seen unreferenced it may go. */
export type Verdict = { live: true } | { live: false; keepMs: number } | null;

export class LiveBlobs {
  readonly #docs: Set<string>;
  readonly #dists: Set<string>;
  readonly #packages: Set<string>;
  readonly #mirror: Set<string>;

  constructor(docs: Set<string>, dists: Set<string>, packageNames: Set<string>, mirror: Set<string>) {
    this.#docs = docs;
    this.#dists = dists;
    this.#packages = packageNames;
    this.#mirror = mirror;
  }

  verdict(key: string, rules: RetentionRules): Verdict {
    const [space, ...rest] = key.split("/");
    const dead = { live: false, keepMs: rules.graceMs } as const;
    const live = { live: true } as const;
    switch (space) {
      case "p2":
        return this.#docs.has(key) ? live : dead;
      case "p2-published":
      case "p2-withheld":
        return this.#docs.has(`p2/${rest.join("/")}`) ? live : dead;
      case "p2-views":
        // vendor/name/<document hash>/<view>.json; the older flat layout has no document folder.
        return rest.length === 4 && this.#docs.has(`p2/${rest[0]}/${rest[1]}/${rest[2]}.json`) ? live : dead;
      case "dist":
        if (this.#dists.has(key)) return live;
        return this.#packages.has(`${rest[0]}/${rest[1]}`) ? { live: false, keepMs: Math.max(rules.graceMs, rules.devZipballMs) } : dead;
      case "mirror":
        if (rest[1] !== "p2" && rest[1] !== "dists" && rest[1] !== "zip") return null; // advisories: refreshed in place
        return this.#mirror.has(key) ? live : dead;
      default:
        return null; // view clocks and anything unknown stay
    }
  }
}

export async function readLiveBlobs(db: Database): Promise<LiveBlobs> {
  const reads = [
    db.orm.select({ name: packages.name, tags: packages.tagsDocKey, dev: packages.devDocKey }).from(packages),
    db.orm.select({ name: packages.name, reference: versions.reference }).from(versions).innerJoin(packages, eq(versions.packageId, packages.id)),
    db.orm.select({ body: mirrorDocuments.bodyKey, dists: mirrorDocuments.distsKey }).from(mirrorDocuments),
    db.orm.select({ upstreamId: mirrorDists.upstreamId, name: mirrorDists.name, reference: mirrorDists.reference }).from(mirrorDists),
  ];
  const [packageRows, versionRows, mirrorDocRows, mirrorDistRows] = (await db.batch(reads as unknown as [BatchStatement, ...BatchStatement[]])) as [
    { name: string; tags: string | null; dev: string | null }[],
    { name: string; reference: string | null }[],
    { body: string | null; dists: string | null }[],
    { upstreamId: number; name: string; reference: string }[],
  ];
  const docs = new Set(packageRows.flatMap((row) => [row.tags, row.dev].filter((key): key is string => key !== null)));
  const dists = new Set(versionRows.flatMap((row) => (row.reference ? [distKey(row.name, row.reference)] : [])));
  const mirror = new Set([
    ...mirrorDocRows.flatMap((row) => [row.body, row.dists].filter((key): key is string => key !== null)),
    ...mirrorDistRows.map((row) => mirrorDistKey(row.upstreamId, row.name, row.reference)),
  ]);
  return new LiveBlobs(docs, dists, new Set(packageRows.map((row) => row.name)), mirror);
}
