// One version of a custom package as an admin defines it in JSON: composer.json's fields plus
// `version` and `dist`. It is validated exactly as an uploaded composer.json is (Composer's
// ValidatingArrayLoader messages, 422), and turns into the entry Satchel publishes. A dist is
// `{"type": "zip", "url", "shasum"}` (fetched once, custom-dist.ts) or `{"type": "zip",
// "reference"}` naming an archive uploaded for the package; a metapackage has none. Either
// way the published dist is Satchel's own zipball URL. Pure: no I/O.
import { PUBLIC_BASE_PLACEHOLDER } from "../composer/public-base.ts";
import { validateComposerJson, type ComposerJson } from "../composer-rules/validate-composer-json.ts";
import { buildVersionEntry, type VersionEntry } from "../composer-rules/version-entry.ts";
import { normalize, parseStability } from "../composer-rules/version-parser.ts";
import { AppError } from "../http/errors.ts";

export type CustomDist = { kind: "external"; url: string; shasum: string } | { kind: "uploaded"; reference: string };

export interface CustomVersion {
  /** The definition as given, for the API and the edit form. */
  definition: Record<string, unknown>;
  version: string;
  versionNormalized: string;
  composer: ComposerJson;
  dist: CustomDist | null;
}

export const invalidDefinition = (message: string) => new AppError(422, "invalid_composer_json", message);

const SHA1 = /^[0-9a-f]{40}$/;
export const MAX_CUSTOM_VERSIONS = 200;

/** Checks one version definition of `packageName` (422 with what is wrong). */
export function parseCustomVersion(packageName: string, raw: unknown, now: Date): CustomVersion {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw invalidDefinition("Each version must be a JSON object (composer.json's fields, plus version and dist).");
  const definition = raw as Record<string, unknown>;
  const version = typeof definition.version === "string" ? definition.version.trim() : "";
  if (!version || version.length > 100 || /[\u0000-\u001f\u007f\s]/.test(version)) throw invalidDefinition('Each version needs a "version" (e.g. "1.2.0"), without spaces.');
  const label = `${packageName} ${version}`;
  if (definition.name !== undefined && definition.name !== packageName) throw invalidDefinition(`${label}: "name" must be ${packageName} (or left out).`);
  let versionNormalized: string;
  try {
    versionNormalized = normalize(version);
  } catch (error) {
    throw invalidDefinition(`${label}: invalid version (${error instanceof Error ? error.message : "rejected"}).`);
  }
  const { dist: rawDist, ...fields } = definition;
  const { errors, config } = validateComposerJson({ ...fields, name: packageName }, { requireName: true, now });
  if (errors.length) throw invalidDefinition(`${label}: composer.json is invalid: ${errors.slice(0, 10).join("; ")}`);
  const metapackage = (config.type ?? "").toLowerCase() === "metapackage";
  if (metapackage && rawDist !== undefined) throw invalidDefinition(`${label}: a metapackage has no dist (it only requires other packages).`);
  if (!metapackage && rawDist === undefined) throw invalidDefinition(`${label}: "dist" is required ({"type": "zip", "url", "shasum"} or the "reference" of an uploaded archive).`);
  return { definition, version, versionNormalized, composer: config, dist: metapackage ? null : parseDist(label, rawDist) };
}

function parseDist(label: string, raw: unknown): CustomDist {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) throw invalidDefinition(`${label}: "dist" must be an object.`);
  const dist = raw as Record<string, unknown>;
  if (dist.type !== "zip") throw invalidDefinition(`${label}: dist.type must be "zip" (Satchel serves zip archives).`);
  if (dist.url === undefined) {
    if (typeof dist.reference !== "string" || !SHA1.test(dist.reference)) throw invalidDefinition(`${label}: dist needs a "url" and "shasum", or the "reference" (sha1) of an archive uploaded for this package.`);
    return { kind: "uploaded", reference: dist.reference };
  }
  if (typeof dist.url !== "string" || dist.url.length > 2048 || !/^https?:\/\//i.test(dist.url)) throw invalidDefinition(`${label}: dist.url must be an http(s) URL.`);
  const shasum = typeof dist.shasum === "string" ? dist.shasum.toLowerCase() : "";
  if (!SHA1.test(shasum)) throw invalidDefinition(`${label}: dist.shasum must be the archive's sha1 (40 hex digits): Satchel checks what it fetches against it.`);
  return { kind: "external", url: dist.url, shasum };
}

/** The reference (sha1) of the version's archive, or null for a metapackage. */
export function distReference(dist: CustomDist | null): string | null {
  if (!dist) return null;
  return dist.kind === "external" ? dist.shasum : dist.reference;
}

/** The published entry: the definition's fields as ArrayDumper writes them, with Satchel's zipball as the dist. */
export function customEntry(packageName: string, parsed: CustomVersion, now: Date): VersionEntry {
  const reference = distReference(parsed.dist);
  const time = typeof parsed.composer.time === "string" && Number.isFinite(Date.parse(parsed.composer.time)) ? parsed.composer.time : now.toISOString();
  return buildVersionEntry({
    composer: parsed.composer,
    version: parsed.version,
    versionNormalized: parsed.versionNormalized,
    ...(reference ? { dist: { type: "zip", url: `${PUBLIC_BASE_PLACEHOLDER}/zipball/${packageName}/${reference}.zip`, reference, shasum: reference } } : {}),
    time,
  });
}

export const isDevCustomVersion = (parsed: CustomVersion) => parseStability(parsed.versionNormalized) === "dev";
