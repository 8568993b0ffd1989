// A package's metadata patches as the API and the package page show them: the patch, and what it
// changes in the version as the repository (or upload) published it.
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { StoredPatch } from "./patch-store.ts";
import { patchDiff } from "./version-patch.ts";

export function patchViews(originals: readonly VersionEntry[], patches: ReadonlyMap<string, StoredPatch>) {
  const byVersion = new Map(originals.map((entry) => [entry.version_normalized, entry]));
  return [...patches].map(([versionNormalized, stored]) => {
    const original = byVersion.get(versionNormalized);
    return {
      version: original?.version ?? null,
      version_normalized: versionNormalized,
      patch: stored.patch,
      // A patch outlives its version (a tag deleted, then pushed again): it applies when the version comes back.
      diff: original ? patchDiff(original, stored.patch) : null,
      createdBy: stored.createdBy,
      createdAt: new Date(stored.createdAt).toISOString(),
    };
  });
}
