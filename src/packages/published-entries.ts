// What Composer reads for a package's versions: the stored entries with the package-level facts
// an admin sets over them. Each version's metadata patch replaces the maps it names, and an
// abandoned package says so in every entry as Packagist does (`abandoned`: the replacement's
// name, or true), over whatever the version's own composer.json said. Pure: no I/O.
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { applyPatch, type VersionPatch } from "./version-patch.ts";

export interface PublishRules {
  /** The package row's `abandoned`: null (not abandoned), "" (no replacement) or the replacement's name. */
  abandoned: string | null;
  patches: ReadonlyMap<string, { patch: VersionPatch }>;
}

export function publishedEntry(entry: VersionEntry, rules: PublishRules): VersionEntry {
  const patch = rules.patches.get(entry.version_normalized);
  const patched = patch ? applyPatch(entry, patch.patch) : entry;
  return rules.abandoned === null ? patched : { ...patched, abandoned: rules.abandoned || true };
}
