// Which published versions p2 leaves out for every client, decided when documents are built:
// versions flagged as malware or compromised, and versions of type `composer-plugin` that the
// plugin allowlist does not allow. Their dists answer 410 Gone (src/composer/zipball.ts reads the
// withheld list stored beside each document). Flagged versions are also listed in the document's
// `filter` key, the Composer 2.10 filter-list metadata, so `composer audit` and a 2.10 client
// with a locked flagged version see why it is gone.
//
// Format, checked against Composer's own source (composer/composer, the FilterList code of 2.10):
// - packages.json `filter`: src/Composer/FilterList/ComposerRepositoryFilterInformation.php
//   fromData() reads `metadata` (bool), `lists` as {"<name>": {"enabled": true}} (names not
//   enabled, and the reserved `advisories`/`abandoned`/`ignore*`... names, are dropped), and the
//   optional `summary-url` and `api-url`. With `metadata: true` and neither URL, the client reads
//   the `filter` key of each p2/{name}.json it already fetches: nothing throws, no API is needed
//   (ComposerRepository::getFilter, the per-package branch after the api-url and summary-url ones).
// - p2 `filter`: {"<list>": [{"constraint", "reason"?, "url"?, "id"?, "source"?, "package"?}]}
//   (src/Composer/FilterList/FilterListEntryBuilder.php build(), line 43 at 627133f8: entries without
//   `constraint` are skipped, `package` defaults to the file's package; FilterListEntry.php
//   create()). It is read from p2/{name}.json only (startCachedAsyncDownload($name, $name), as
//   for security-advisories metadata), never from ~dev.json: the tags document lists flagged
//   branches too (src/packages/rebuild-documents.ts, src/composer/metadata-store.ts).
// Both kinds go to the `malware` list, the one Composer blocks by default on update AND install
// (src/Composer/Policy/PolicyConfig.php: `malware` is a built-in list, not a reserved name).
import { grantMatches } from "../acl/visibility.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { FlagKind } from "./flag-store.ts";
import type { Policies } from "./policy-store.ts";

export const FILTER_LIST = "malware";
export const FILTER_SOURCE = "satchel";

export interface WithholdingRules {
  flags: readonly { id: number; versionNormalized: string; kind: FlagKind; reason: string }[];
  pluginAllowlist: Policies["pluginAllowlist"];
}

/** A version left out of p2, with the reason its dist answers 410. */
export interface WithheldVersion {
  version: string;
  versionNormalized: string;
  reference: string | null;
  /** Set for flagged versions: what the `filter` key says. */
  flag?: { id: number; kind: FlagKind; reason: string };
  /** Shown to Composer users (the 410's `warning`). */
  warning: string;
}

export function withhold(packageName: string, entries: readonly VersionEntry[], rules: WithholdingRules): { kept: VersionEntry[]; withheld: WithheldVersion[] } {
  const flags = new Map(rules.flags.map((flag) => [flag.versionNormalized, flag]));
  const pluginBlocked = rules.pluginAllowlist.enabled && !rules.pluginAllowlist.allowed.some((pattern) => grantMatches(pattern, packageName));
  const kept: VersionEntry[] = [];
  const withheld: WithheldVersion[] = [];
  for (const entry of entries) {
    const flag = flags.get(entry.version_normalized);
    const base = { version: entry.version, versionNormalized: entry.version_normalized, reference: entry.dist?.reference ?? null };
    if (flag) {
      withheld.push({ ...base, flag: { id: flag.id, kind: flag.kind, reason: flag.reason }, warning: `${packageName} ${entry.version} is flagged as ${flag.kind} and withdrawn: ${flag.reason}` });
    } else if (pluginBlocked && entry.type === "composer-plugin") {
      withheld.push({ ...base, warning: `${packageName} is a Composer plugin this repository does not allow. Ask an administrator to add it to the plugin allowlist.` });
    } else {
      kept.push(entry);
    }
  }
  return { kept, withheld };
}

/** The `filter` key of a p2 document for these withheld versions, or undefined when none is flagged. */
export function filterMetadata(withheld: readonly WithheldVersion[]): Record<string, unknown> | undefined {
  const flagged = withheld.filter((version) => version.flag);
  if (flagged.length === 0) return undefined;
  return {
    filter: {
      [FILTER_LIST]: flagged.map(({ version, flag }) => ({
        constraint: version,
        reason: `${flag!.kind}: ${flag!.reason}`,
        id: `SATCHEL-FLAG-${flag!.id}`,
        source: FILTER_SOURCE,
      })),
    },
  };
}

/** What packages.json says about the filter metadata its p2 documents carry. */
export const ROOT_FILTER_METADATA = { metadata: true, lists: { [FILTER_LIST]: { enabled: true } } };
