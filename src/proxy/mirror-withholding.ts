// Flags and the plugin allowlist applied to a mirrored (upstream) p2 document, as they are to a
// private package's documents (src/policies/withholding.ts): flagged versions and plugins not
// allowed are left out, and the tags document's `filter` key names every flagged version of the
// name (Composer 2.10 reads it from p2/{name}.json only). Pure.
import { expandVersions, minifyVersions } from "../composer-rules/minify.ts";
import { MINIFIED_FORMAT } from "../composer-rules/p2-document.ts";
import { normalize } from "../composer-rules/version-parser.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { Policies } from "../policies/policy-store.ts";
import type { UpstreamVersionFlag } from "../policies/upstream-flag-store.ts";
import { filterMetadata, withhold, type WithheldVersion } from "../policies/withholding.ts";

export interface MirrorRules {
  flags: readonly UpstreamVersionFlag[];
  pluginAllowlist: Policies["pluginAllowlist"];
}

/** What these rules change in a document of `name`: its text unchanged when they cannot matter. */
export function mayWithhold(text: string, rules: MirrorRules): boolean {
  return rules.flags.length > 0 || (rules.pluginAllowlist.enabled && text.includes('"composer-plugin"'));
}

/** The key of the rules for a name, for the caches of what they produce. */
export function mirrorRulesKey(rules: MirrorRules): string {
  return JSON.stringify([rules.flags.map((flag) => [flag.id, flag.versionNormalized]), rules.pluginAllowlist]);
}

export function withholdMirrored(name: string, kind: DocumentKind, text: string, rules: MirrorRules): { text: string; withheld: WithheldVersion[] } {
  const document = JSON.parse(text) as Record<string, unknown> & { packages: Record<string, object[]> };
  // A mirrored entry may lack version_normalized: the flags name normalized versions.
  const entries = (expandVersions(document.packages[name] ?? []) as VersionEntry[]).map((entry) => (entry.version_normalized ? entry : { ...entry, version_normalized: normalizedOrEmpty(entry.version) }));
  const { kept, withheld } = withhold(name, entries, { flags: rules.flags, pluginAllowlist: rules.pluginAllowlist });
  const named = new Set(withheld.map((version) => version.versionNormalized));
  // The tags document names every flag of the name, its branches' included.
  const elsewhere: WithheldVersion[] =
    kind === "tags"
      ? rules.flags
          .filter((flag) => !named.has(flag.versionNormalized))
          .map((flag) => ({ version: flag.version, versionNormalized: flag.versionNormalized, reference: null, flag: { id: flag.id, kind: flag.kind, reason: flag.reason }, warning: "" }))
      : [];
  const { filter: _ignored, ...rest } = document;
  const served = { ...rest, minified: MINIFIED_FORMAT, packages: { [name]: minifyVersions(kept) }, ...filterMetadata([...withheld, ...elsewhere]) };
  return { text: JSON.stringify(served), withheld };
}

function normalizedOrEmpty(version: unknown): string {
  try {
    return typeof version === "string" ? normalize(version) : "";
  } catch {
    return "";
  }
}

/** The version (as the upstream names it) of a mirrored document with this normalized version, if any. */
export function mirroredVersion(name: string, text: string, versionNormalized: string): string | undefined {
  const document = JSON.parse(text) as { packages: Record<string, object[]> };
  const entries = expandVersions(document.packages[name] ?? []) as Partial<VersionEntry>[];
  return entries.find((entry) => (entry.version_normalized || normalizedOrEmpty(entry.version)) === versionNormalized)?.version;
}
