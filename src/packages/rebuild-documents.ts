// Rebuilds a package's p2 documents after its versions changed. Atomic and race-safe: the new
// documents go to content-addressed keys first, then ONE conditional row update switches the
// package to them, and only when they were built from a newer versions revision than the ones
// in place (so a slow rebuild never overwrites a newer one).
import { sha256Hex } from "../crypto/digest.ts";
import { publishedTimesOf } from "../acl/published-at.ts";
import { newestEntry } from "../composer/package-summary.ts";
import { metadataDocKey, publishedTimesKey } from "../blobs/keys.ts";
import { buildP2Documents, isDevVersion } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { Services } from "../services.ts";
import { findPackage, switchDocuments, versionDocuments } from "./package-store.ts";

export async function rebuildDocuments(services: Services, packageId: number): Promise<void> {
  const { db } = services;
  const pkg = await findPackage(db, packageId);
  if (!pkg) return;
  // Read the revision BEFORE the versions: everything counted in `revision` is then in `rows`.
  const revision = pkg.versionsRev;
  const rows = await versionDocuments(db, packageId);
  const entries = rows.map((row) => JSON.parse(row.data) as VersionEntry);
  const documents = buildP2Documents(pkg.name, entries);
  const published = [...publishedTimesOf(pkg.kind, rows.map((row, i) => ({ entry: entries[i] as VersionEntry, createdAt: row.createdAt })))];
  const timesOf = (dev: boolean) => JSON.stringify(Object.fromEntries(published.filter(([version]) => isDevVersion(version) === dev)));
  const [tagsKey, devKey] = await Promise.all([
    storeDocument(services, pkg.name, documents.tags, timesOf(false)),
    storeDocument(services, pkg.name, documents.dev, timesOf(true)),
  ]);
  const unchanged = tagsKey === pkg.tagsDocKey && devKey === pkg.devDocKey;
  const newest = newestEntry(entries);
  await switchDocuments(services, packageId, {
    tagsDocKey: tagsKey,
    devDocKey: devKey,
    revision,
    // Same bytes, same Last-Modified: clients keep their 304s.
    updatedClock: unchanged ? pkg.updatedClock : "tick",
    description: newest?.description ?? pkg.description,
    packageType: newest?.type ?? pkg.packageType ?? "library",
  });
  services.catalog.invalidate(pkg.name);
}

/**
 * Stores a document with the publish times the freeze reads beside it. The key hashes both, so
 * a view derived from (document, visibility) can never pair with other times.
 */
async function storeDocument(services: Services, name: string, document: string, timesJson: string): Promise<string> {
  const key = metadataDocKey(name, await sha256Hex(`${document}\n${timesJson}`));
  if (!(await services.blobs.has(key))) {
    await services.blobs.put(publishedTimesKey(key), timesJson);
    await services.blobs.put(key, document);
  }
  return key;
}
