// A dist of a withheld version (flagged as malware or compromised, or a plugin the allowlist does
// not allow) answers 410 Gone with a `warning` Composer prints, to whoever would otherwise see
// that version: a composer.lock that still names it fails loudly instead of installing it.
import type { VersionFilter } from "../acl/visibility.ts";
import type { MetadataStore } from "../composer/metadata-store.ts";
import { AppError } from "../http/errors.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import type { WithheldVersion } from "./withholding.ts";

export async function refuseWithheld(metadata: MetadataStore, pkg: PackagePointer, filter: VersionFilter, reference: string): Promise<void> {
  const withheld = await metadata.withheldByReference(pkg, filter, reference);
  if (withheld) throw withheldError(withheld);
}

/** The 410 for a withheld version's dist (private or mirrored). */
export function withheldError(withheld: WithheldVersion): AppError {
  return new AppError(410, withheld.flag ? "version_flagged" : "plugin_not_allowed", withheld.warning, { composerWarning: withheld.warning });
}
