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
import { parseConstraints } from "../../../src/composer-rules/constraints.ts";
import { isJsonObject, isPhpArray, isSet, phpEmpty, phpEntries, type JsonObject } from "../../../src/composer-rules/php-values.ts";
import { validateComposerJson, type ComposerJson } from "../../../src/composer-rules/validate-composer-json.ts";
import { LINK_TYPES } from "../../../src/composer-rules/validate-links.ts";
import { buildVersionEntry, type VersionEntry } from "../../../src/composer-rules/version-entry.ts";

/** Packagist's `new ValidatingArrayLoader(new ArrayLoader())`: the default flags, none set. */
export const PACKAGIST_LOADER_FLAGS = 0;

/** What a ref contributes besides its composer.json. */
export interface RefFacts {
  /** The default branch's composer.json `name` when not empty, else null (each ref its own). */
  packageName: unknown;
  source: { type: "git"; url: string; reference: string };
  distUrl: (name: string) => string;
  now: Date;
}

export interface LoadFacts extends RefFacts {
  kind: "tag" | "branch";
  version: string;
  versionNormalized: string;
  isDefaultBranch: boolean;
}

export interface LoadedVersion {
  entry: VersionEntry;
  archiveExcludes: string[];
}

/** The published entry, or why Composer refuses this ref. */
export function loadVersion(data: JsonObject, facts: LoadFacts): LoadedVersion | string {
  // preProcess(): `$data['name'] = $this->packageName ?: $dataPackageName;` and our own source
  // unless composer.json brings one (validated as Composer would, never published).
  const input: JsonObject = { ...data, version: facts.version };
  const name = facts.packageName !== null ? facts.packageName : data.name;
  if (name === undefined) delete input.name;
  else input.name = name as JsonObject[string];
  delete input["default-branch"];
  if (!isSet(input.source)) input.source = { ...facts.source };

  const { errors, warnings, config } = validateComposerJson(input, { now: facts.now, flags: PACKAGIST_LOADER_FLAGS });
  if (errors.length > 0) return `invalid composer.json: ${errors.join("; ")}`;
  if (facts.kind === "branch" && warnings.length > 0) return `invalid composer.json: ${warnings.join("; ")}`;
  // ArrayLoader::createLink(): a "self.version" link parses the version as a constraint.
  if (usesSelfVersion(config)) {
    try {
      parseConstraints(facts.version);
    } catch (e) {
      return `"self.version" cannot be used with version ${facts.version}: ${e instanceof Error ? e.message : String(e)}`;
    }
  }
  const packageName = config.name as string;
  const entry = buildVersionEntry({
    composer: config,
    version: facts.version,
    versionNormalized: facts.versionNormalized,
    source: facts.source,
    dist: { type: "zip", url: facts.distUrl(packageName), reference: facts.source.reference, shasum: "" },
    isDefaultBranch: facts.isDefaultBranch,
  });
  return { entry, archiveExcludes: archiveExcludes(config.archive) };
}

function usesSelfVersion(config: ComposerJson): boolean {
  return LINK_TYPES.some((type) => {
    const links = config[type];
    return isPhpArray(links) && phpEntries(links).some(([, constraint]) => constraint === "self.version");
  });
}

/** `archive.exclude` as ArrayLoader keeps it (`!empty(...)`): the string rules. */
function archiveExcludes(archive: unknown): string[] {
  if (!isJsonObject(archive) || phpEmpty(archive.exclude) || !isPhpArray(archive.exclude)) return [];
  return phpEntries(archive.exclude).map(([, rule]) => rule).filter((rule): rule is string => typeof rule === "string");
}
