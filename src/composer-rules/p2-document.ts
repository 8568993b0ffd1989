// Turns a package's published versions into its two Composer 2 metadata documents: tags in
// `<name>.json`, branches in `<name>~dev.json`, each sorted (default branch first, then newest
// version first) and minified as composer/metadata-minifier does.
import { minifyVersions } from "./minify.ts";
import { phpVersionCompare } from "./version-compare.ts";
import { normalizeBranch } from "./version-parser.ts";
import type { VersionEntry } from "./version-entry.ts";

export interface P2Documents {
  tags: string;
  dev: string;
}

export const MINIFIED_FORMAT = "composer/2.0";

export function isDevVersion(versionNormalized: string): boolean {
  return versionNormalized.startsWith("dev-") || versionNormalized.endsWith("-dev");
}

/** `extra`: top-level keys a document carries besides its versions (e.g. the `filter` metadata). */
export function buildP2Documents(packageName: string, versions: readonly VersionEntry[], extra: { tags?: Record<string, unknown>; dev?: Record<string, unknown> } = {}): P2Documents {
  const tags = versions.filter((version) => !isDevVersion(version.version_normalized));
  const dev = versions.filter((version) => isDevVersion(version.version_normalized));
  return { tags: serializeP2(packageName, sortForP2(tags), extra.tags), dev: serializeP2(packageName, sortForP2(dev), extra.dev) };
}

export function serializeP2(packageName: string, sortedVersions: readonly VersionEntry[], extra?: Record<string, unknown>): string {
  return JSON.stringify({ minified: MINIFIED_FORMAT, packages: { [packageName]: minifyVersions(sortedVersions) }, ...extra });
}

export function sortForP2(versions: readonly VersionEntry[]): VersionEntry[] {
  const keyed = versions.map((version) => ({ version, key: sortKey(version) }));
  keyed.sort((a, b) => {
    const defaultFirst = Number(b.version["default-branch"] === true) - Number(a.version["default-branch"] === true);
    return defaultFirst || phpVersionCompare(b.key, a.key) || compareStrings(a.version.version, b.version.version);
  });
  return keyed.map(({ version }) => version);
}

/** Branches sort by their branch alias (e.g. dev-main aliased to 2.x-dev sorts as 2.x). */
function sortKey(version: VersionEntry): string {
  const aliases = version.extra?.["branch-alias"];
  const alias = aliases && typeof aliases === "object" ? (aliases as Record<string, unknown>)[version.version] : undefined;
  if (typeof alias === "string") {
    try {
      return normalizeBranch(alias.replace(/-dev$/, ""));
    } catch {
      // An unusable alias does not make the branch unusable: fall back to its own version.
    }
  }
  return version.version_normalized;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
