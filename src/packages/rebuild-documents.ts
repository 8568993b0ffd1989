// A package's p2 documents, switched in with the version changes they describe. Atomic and
// race-safe: the new documents go to content-addressed keys first, then ONE conditional row
// update (in the same batch as the version rows, for a change) switches the package to them,
// and only when they were built from a newer versions revision than the ones in place (so a
// slow rebuild never overwrites a newer one).
import { sha256Hex } from "../crypto/digest.ts";
import { publishedTimesOf } from "../acl/published-at.ts";
import { newestEntry } from "../composer/package-summary.ts";
import { metadataDocKey, publishedTimesKey, withheldVersionsKey } from "../blobs/keys.ts";
import { filterMetadata, withhold, type WithheldVersion } from "../policies/withholding.ts";
import { withholdingRulesFor } from "../policies/withholding-rules.ts";
import { buildP2Documents, isDevVersion } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { BatchStatement, BlobStore, Database } from "../ports.ts";
import { GcMarks, keepBlobsStatements } from "../gc/gc-marks-store.ts";
import type { Services } from "../services.ts";
import { patchesOf } from "./patch-store.ts";
import { publishedEntry, type PublishRules } from "./published-entries.ts";
import { commitVersionChanges, documentRevisions, findPackage, packagesWithStaleDocuments, switchDocuments, versionDocuments, type DocumentSwitch, type PackageRow } from "./package-store.ts";

/** A version as stored: its entry and when Satchel first published it (the row's created_at). */
export interface StoredVersion {
  entry: VersionEntry;
  createdAt: number;
}

/** A package's versions as stored (originals, before patches), in publishing order. */
export async function storedVersions(db: Database, packageId: number): Promise<StoredVersion[]> {
  return (await versionDocuments(db, packageId)).map((row) => ({ entry: JSON.parse(row.data) as VersionEntry, createdAt: row.createdAt }));
}

export async function rebuildDocuments(services: Services, packageId: number): Promise<void> {
  const pkg = await findPackage(services.db, packageId);
  if (!pkg) return;
  // Read the revision BEFORE the versions: everything counted in `revision` is then in `rows`.
  const revision = pkg.versionsRev;
  const stored = await storedVersions(services.db, packageId);
  const rules = { abandoned: pkg.abandoned, patches: await patchesOf(services.db, packageId) };
  await switchWhileCollected(
    services,
    await storeDocuments(services, pkg, stored, revision, rules),
    (documents, guard) => switchDocuments(services, packageId, documents, guard),
    () => storeDocuments(services, pkg, stored, revision, rules, true),
  );
  services.catalog.invalidate(pkg.name);
}

/**
 * Rebuilds the documents of every package whose versions moved past them: a change whose own
 * switch lost to a concurrent one is rebuilt right after its commit, but a process killed in
 * between leaves it to this (the scheduled work, and a self-hosted server as it starts).
 */
export async function rebuildStaleDocuments(services: Services): Promise<number> {
  const stale = await packagesWithStaleDocuments(services.db);
  for (const packageId of stale) await rebuildDocuments(services, packageId);
  return stale.length;
}

/**
 * Runs `changes` to the package's versions and switches it to the documents of `after` (the
 * version set those changes produce from what `pkg` was read with) in ONE batch: a failure at
 * any step leaves the old versions with their old documents, never versions without documents.
 * A change committed by someone else in between leaves our documents out; they are then
 * rebuilt from what is stored. `pkg.abandoned` and the stored metadata patches (or `patches`,
 * when `changes` change them) are applied over `after` in the documents.
 */
export async function commitVersions(services: Services, pkg: PackageRow, after: StoredVersion[], changes: BatchStatement[], patches?: PublishRules["patches"]): Promise<void> {
  const revision = pkg.versionsRev + 1;
  const rules = { abandoned: pkg.abandoned, patches: patches ?? (await patchesOf(services.db, pkg.id)) };
  await switchWhileCollected(
    services,
    await storeDocuments(services, pkg, after, revision, rules),
    (documents, guard) => commitVersionChanges(services, pkg.id, [...guard, ...changes], documents),
    () => storeDocuments(services, pkg, after, revision, rules, true),
  );
  services.catalog.invalidate(pkg.name);
  // Committed: from here on a failure must not report the change as failed (a retry would meet
  // a 409). The next change to the package rebuilds whatever this leaves stale.
  try {
    const revisions = await documentRevisions(services.db, pkg.id);
    if (revisions && revisions.docsRev < revisions.versionsRev) await rebuildDocuments(services, pkg.id);
  } catch (error) {
    services.log.error("documents not rebuilt after a concurrent change", { package: pkg.name, error: String(error) });
  }
}

/**
 * Runs the batch that points the package at `documents`, with statements that keep garbage
 * collection off them. If a pass was deleting one of them (an old document coming back), waits
 * for that pass, stores them again and retries.
 */
async function switchWhileCollected(
  services: Services,
  documents: DocumentSwitch,
  commit: (documents: DocumentSwitch, guard: BatchStatement[]) => Promise<void>,
  storeAgain: () => Promise<DocumentSwitch>,
): Promise<void> {
  const keys = [documents.tagsDocKey, documents.devDocKey].flatMap((key) => [key, publishedTimesKey(key), withheldVersionsKey(key)]);
  const marks = new GcMarks(services.db);
  for (let attempt = 0; ; attempt++) {
    try {
      await commit(documents, keepBlobsStatements(services.db, keys));
      return;
    } catch (error) {
      if (attempt >= 5 || !(await marks.deletingAny(keys))) throw error;
    }
    while (await marks.deletingAny(keys)) await new Promise((resolve) => setTimeout(resolve, 50));
    documents = await storeAgain();
  }
}

/**
 * Stores the documents of `stored` (with their publish times) and says what to switch the
 * package to; `force` writes them even where they seem to be in place (after a GC pass).
 */
async function storeDocuments(services: Services, pkg: PackageRow, stored: StoredVersion[], revision: number, rules: PublishRules, force = false): Promise<DocumentSwitch> {
  const entries = stored.map(({ entry }) => publishedEntry(entry, rules));
  // Flagged versions and plugins not allowed are left out for every client, once, here.
  const { kept, withheld } = withhold(pkg.name, entries, await withholdingRulesFor(services.db, pkg.id));
  const withheldOf = (dev: boolean) => withheld.filter((version) => isDevVersion(version.versionNormalized) === dev);
  // Composer 2.10 reads `filter` from p2/{name}.json only, never from ~dev.json: the tags
  // document names every flagged version (see src/policies/withholding.ts).
  const documents = buildP2Documents(pkg.name, kept, { tags: filterMetadata(withheld), dev: filterMetadata(withheldOf(true)) });
  const published = [...publishedTimesOf(pkg.kind, stored)];
  const timesOf = (dev: boolean) => JSON.stringify(Object.fromEntries(published.filter(([version]) => isDevVersion(version) === dev)));
  const [tagsKey, devKey] = await Promise.all([
    storeDocument(services.blobs, pkg.name, documents.tags, timesOf(false), withheldOf(false), force ? null : pkg.tagsDocKey),
    storeDocument(services.blobs, pkg.name, documents.dev, timesOf(true), withheldOf(true), force ? null : pkg.devDocKey),
  ]);
  const unchanged = tagsKey === pkg.tagsDocKey && devKey === pkg.devDocKey;
  const newest = newestEntry(kept) ?? newestEntry(entries);
  return {
    tagsDocKey: tagsKey,
    devDocKey: devKey,
    revision,
    // Same bytes, same Last-Modified: clients keep their 304s.
    updatedClock: unchanged ? pkg.updatedClock : "tick",
    description: newest?.description ?? pkg.description,
    packageType: newest?.type ?? pkg.packageType ?? "library",
  };
}

/**
 * Writes a document, with the publish times the freeze reads beside it, under a key that hashes
 * both (a view derived from (document, visibility) can never pair with other times). Only the
 * key already in place is known whole: any other may be the half-written leftover of a failed
 * try, so it is written again, times first.
 */
async function storeDocument(blobs: BlobStore, name: string, document: string, timesJson: string, withheld: WithheldVersion[], inPlace: string | null): Promise<string> {
  // Nothing withheld: the key (and the bytes) stay what they were before anything could be.
  const withheldJson = withheld.length ? JSON.stringify(withheld) : null;
  const key = metadataDocKey(name, await sha256Hex(`${document}\n${timesJson}${withheldJson === null ? "" : `\n${withheldJson}`}`));
  if (key !== inPlace) {
    await blobs.put(publishedTimesKey(key), timesJson);
    if (withheldJson !== null) await blobs.put(withheldVersionsKey(key), withheldJson);
    await blobs.put(key, document);
  }
  return key;
}
