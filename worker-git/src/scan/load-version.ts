// One ref's data through what VcsRepository hands it to: preProcess() (the default branch's
// package name, our source), then the loader Packagist's updater sets on it,
// `new ValidatingArrayLoader(new ArrayLoader())` (packagist src/Service/UpdaterWorker.php): flags
// 0, so neither CHECK_UNBOUND_CONSTRAINTS nor CHECK_STRICT_CONSTRAINTS warns; then ArrayLoader +
// ArrayDumper (buildVersionEntry). A branch is also refused on the remaining validation WARNINGS
// (VcsRepository::initialize() throws InvalidPackageException for them when its loader is a
// ValidatingArrayLoader); a tag only on errors.
//
// Satchel follows Packagist here, not bare Composer: Composer's VcsRepository left to itself uses
// a plain ArrayLoader, which validates nothing, publishes invalid URLs, e-mails and keywords as
// they are, and crashes (skipping the ref) only where ArrayLoader itself cannot go on.
//
// Validation runs once per distinct composer.json blob (and variant), not per ref: the per-ref
// facts it sees (version, release time, source reference) are replaced by placeholders that
// validate exactly as the real ones do. The version is checked per ref; the release time only
// decides whether licenses are checked (`recent`, part of the variant); our own source reference
// (a commit id or revision) is always valid.
import { parseConstraints } from "../../../src/composer-rules/constraints.ts";
import { formatRfc3339Utc, parsePhpDate } from "../../../src/composer-rules/php-date.ts";
import { isJsonObject, isPhpArray, isSet, phpEmpty, phpEntries, type JsonObject } from "../../../src/composer-rules/php-values.ts";
import { validateComposerJson, type ComposerJson } from "../../../src/composer-rules/validate-composer-json.ts";
import { LINK_TYPES } from "../../../src/composer-rules/validate-links.ts";
import { isRecentRelease } from "../../../src/composer-rules/validate-people.ts";
import { normalize } from "../../../src/composer-rules/version-parser.ts";
import { buildVersionEntry, type VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import { needsCommitTime } from "./composer-info.ts";
import type { ScanCache } from "./scan-cache.ts";

/** Packagist's `new ValidatingArrayLoader(new ArrayLoader())`: the default flags, none set. */
export const PACKAGIST_LOADER_FLAGS = 0;

const PLACEHOLDER_VERSION = "1.0.0";
const PLACEHOLDER_REFERENCE = "0".repeat(40);

export interface SourceFacts {
  type: "git" | "svn" | "hg";
  url: string;
  reference: string;
}

/** What a ref contributes besides its composer.json. */
export interface RefFacts {
  /** The default branch's composer.json `name` when not empty, else null (each ref its own). */
  packageName: unknown;
  source: SourceFacts;
  /** What zipballs are stored under: the commit, or a URL-safe stand-in (svn). */
  distReference: string;
  distUrl: (name: string) => string;
  now: Date;
}

export interface LoadFacts extends RefFacts {
  kind: "tag" | "branch";
  version: string;
  versionNormalized: string;
  isDefaultBranch: boolean;
  /** The commit's date (DATE_RFC3339), used when composer.json has no `time`. */
  commitTime?: string;
}

/** A decoded composer.json and the id of its blob (git object id or content hash). */
export interface ComposerBlob {
  id: string;
  data: JsonObject;
}

/** ValidatingArrayLoader's verdict on a blob, and what the per-ref steps need from it. */
export interface ValidatedBlob {
  errors: string[];
  warnings: string[];
  config: ComposerJson;
  /** A link uses "self.version": the ref's version must parse as a constraint. */
  selfVersion: boolean;
  archiveExcludes: string[];
}

export interface LoadedVersion {
  entry: VersionEntry;
  archiveExcludes: string[];
}

/** The published entry, or why Composer refuses this ref. */
export function loadVersion(blob: ComposerBlob, facts: LoadFacts, cache: ScanCache): LoadedVersion | string {
  const commitTime = needsCommitTime(blob.data) ? facts.commitTime : undefined;
  const released = commitTime === undefined ? undefined : parsePhpDate(commitTime);
  if (released === null) return `the commit date ${commitTime} cannot be read`;
  // Licenses are checked for recent releases only: by the commit's date, or composer.json's own.
  const own = commitTime === undefined && typeof blob.data.time === "string" ? parsePhpDate(blob.data.time) : null;
  const releasedAt = released ?? own;
  const recent = releasedAt ? isRecentRelease(releasedAt.timestamp, Math.floor(facts.now.getTime() / 1000)) : null;
  const variant = { packageName: facts.packageName, sourceType: facts.source.type, sourceUrl: facts.source.url, commitTime: commitTime !== undefined, recent };
  let validated = cache.validation(blob.id, JSON.stringify(variant), () => validateBlob(blob.data, variant, facts.now));
  // A version that does not normalize is an error among the others: validate this ref on its own.
  if (!normalizes(facts.version)) validated = validateBlob(blob.data, variant, facts.now, facts.version);

  const { errors, warnings, config } = validated;
  if (errors.length > 0) return `invalid composer.json: ${errors.join("; ")}`;
  if (facts.kind === "branch" && warnings.length > 0) return `invalid composer.json: ${warnings.join("; ")}`;
  // ArrayLoader::createLink(): a "self.version" link parses the version as a constraint.
  if (validated.selfVersion) {
    try {
      parseConstraints(facts.version);
    } catch (e) {
      return `"self.version" cannot be used with version ${facts.version}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const packageName = config.name as string;
  const source = { type: facts.source.type, url: facts.source.url, reference: facts.source.reference };
  const dist = { type: "zip", url: facts.distUrl(packageName), reference: facts.distReference, shasum: "" };
  const template = facts.isDefaultBranch ? undefined : entryTemplate(validated, commitTime);
  if (template) {
    // The template's keys in its order, with this ref's facts in place of the placeholders.
    const entry: Record<string, unknown> = { ...template, version: facts.version, version_normalized: facts.versionNormalized, source, dist };
    if (released) entry.time = released.rfc3339;
    return { entry: entry as VersionEntry, archiveExcludes: validated.archiveExcludes };
  }
  const entry = buildVersionEntry({
    composer: commitTime ? { ...config, time: commitTime } : config,
    version: facts.version,
    versionNormalized: facts.versionNormalized,
    source,
    dist,
    isDefaultBranch: facts.isDefaultBranch,
  });
  return { entry, archiveExcludes: validated.archiveExcludes };
}

const PLACEHOLDER_TIME = "2000-01-01T00:00:00+00:00";
const templates = new WeakMap<ValidatedBlob, Map<boolean, VersionEntry | null>>();

/**
 * The entry every non-default ref of this blob shares apart from version, source, dist and (when
 * composer.json has none) time, built once; null when the version shows up elsewhere too (a
 * "self.version" suggestion). Its nested values are shared by the entries made from it, so
 * they are frozen.
 */
function entryTemplate(validated: ValidatedBlob, commitTime: string | undefined): VersionEntry | null {
  let byTime = templates.get(validated);
  if (!byTime) templates.set(validated, (byTime = new Map()));
  const withCommitTime = commitTime !== undefined;
  let template = byTime.get(withCommitTime);
  if (template === undefined) {
    const marker = "\0version";
    const built = buildVersionEntry({
      composer: withCommitTime ? { ...validated.config, time: PLACEHOLDER_TIME } : validated.config,
      version: marker,
      versionNormalized: marker,
      // Placeholders that put the keys in their place.
      source: { type: "git", url: "", reference: "" },
      dist: { type: "zip", url: "", reference: "", shasum: "" },
      isDefaultBranch: false,
    });
    template = Object.values(built.suggest ?? {}).includes(marker) ? null : deepFreeze(built);
    byTime.set(withCommitTime, template);
  }
  return template;
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    for (const item of Object.values(value)) deepFreeze(item);
    Object.freeze(value);
  }
  return value;
}

interface BlobVariant {
  packageName: unknown;
  sourceType: string;
  sourceUrl: string;
  /** composer.json has no `time`: the commit's date stands in for it. */
  commitTime: boolean;
  /** Whether the release (by either date) is recent, which decides the license check; null when undated. */
  recent: boolean | null;
}

/** preProcess() + ValidatingArrayLoader on a blob, with placeholders for the per-ref facts. */
function validateBlob(data: JsonObject, variant: BlobVariant, now: Date, version = PLACEHOLDER_VERSION): ValidatedBlob {
  // preProcess(): `$data['name'] = $this->packageName ?: $dataPackageName;` and our own source
  // unless composer.json brings one (validated as Composer would, never published).
  const input: JsonObject = { ...data, version };
  const name = variant.packageName !== null ? variant.packageName : data.name;
  if (name === undefined) delete input.name;
  else input.name = name as JsonObject[string];
  delete input["default-branch"];
  if (!isSet(input.source)) input.source = { type: variant.sourceType, url: variant.sourceUrl, reference: PLACEHOLDER_REFERENCE };
  if (variant.commitTime) input.time = formatRfc3339Utc(variant.recent ? now : new Date(0));
  const { errors, warnings, config } = validateComposerJson(input, { now, flags: PACKAGIST_LOADER_FLAGS });
  return { errors, warnings, config, selfVersion: usesSelfVersion(config), archiveExcludes: archiveExcludes(config.archive) };
}

function normalizes(version: string): boolean {
  try {
    normalize(version);
    return true;
  } catch {
    return false;
  }
}

function usesSelfVersion(config: ComposerJson): boolean {
  return LINK_TYPES.some((type) => {
    const links = config[type];
    return isPhpArray(links) && phpEntries(links).some(([, constraint]) => constraint === "self.version");
  });
}

/** `archive.exclude` as ArrayLoader keeps it (`!empty(...)`): the string rules. */
export function archiveExcludes(archive: unknown): string[] {
  if (!isJsonObject(archive) || phpEmpty(archive.exclude) || !isPhpArray(archive.exclude)) return [];
  return phpEntries(archive.exclude).map(([, rule]) => rule).filter((rule): rule is string => typeof rule === "string");
}
