// One published p2 version entry: what Composer's ArrayLoader makes of a validated composer.json
// and ArrayDumper then writes (composer/composer src/Composer/Package/Loader/ArrayLoader.php,
// src/Composer/Package/Dumper/ArrayDumper.php), with the repository's own facts (version, source,
// dist, release time, default branch), keys in Packagist's order (src/Entity/Version.php
// toArray()/toV2Array()). Root-only fields (autoload-dev, scripts, config, repositories,
// minimum-stability, prefer-stable, archive) are not published.
import { asciiLower } from "./package-name.ts";
import { formatRfc3339Utc, parsePhpDate } from "./php-date.ts";
import {
  isPhpArray, ksort, phpCompareStrings, phpCount, phpEmpty, phpEntries, phpString, phpTrim,
  type JsonObject, type JsonValue, type PhpArray,
} from "./php-values.ts";
import type { ComposerJson } from "./validate-composer-json.ts";

export type LinkMap = { [target: string]: string };

export type VersionEntry = {
  name: string;
  description?: string;
  keywords?: string[];
  homepage?: string;
  version: string;
  version_normalized: string;
  license?: string[];
  authors?: PhpArray[];
  source?: { type: string; url: string; reference?: string };
  dist?: { type: string; url: string; reference?: string; shasum?: string };
  type: string;
  support?: JsonObject;
  funding?: PhpArray[];
  time?: string;
  autoload?: JsonObject;
  extra?: JsonObject;
  "target-dir"?: string;
  "include-path"?: Array<string | number>;
  bin?: string[];
  "default-branch"?: true;
  require?: LinkMap;
  "require-dev"?: LinkMap;
  suggest?: LinkMap;
  conflict?: LinkMap;
  provide?: LinkMap;
  replace?: LinkMap;
  abandoned?: string | true;
};

export interface VersionFacts {
  /** A composer.json that passed validateComposerJson without errors. */
  composer: ComposerJson;
  /** The pretty version (tag or branch name), e.g. "v1.2.0" or "dev-main". */
  version: string;
  versionNormalized: string;
  source?: { type: string; url: string; reference?: string | null };
  dist?: { type: string; url: string; reference?: string | null; shasum?: string | null };
  /** Release time when composer.json has none (e.g. the tag's commit date). */
  time?: Date | string;
  isDefaultBranch?: boolean;
}

export function buildVersionEntry(facts: VersionFacts): VersionEntry {
  const c = facts.composer;
  if (typeof c.name !== "string") throw new TypeError("buildVersionEntry needs a composer.json with a name");
  const entry: VersionEntry = {
    name: c.name,
    description: nonEmptyString(c.description),
    keywords: keywordsOf(c.keywords),
    homepage: nonEmptyString(c.homepage),
    version: facts.version,
    version_normalized: facts.versionNormalized,
    license: phpEmpty(c.license) ? undefined : typeof c.license === "string" ? [c.license] : valuesOf(c.license as PhpArray).map(String),
    authors: nonEmptyList(c.authors) as PhpArray[] | undefined,
    source: facts.source && withoutNulls({ type: facts.source.type, url: facts.source.url, reference: facts.source.reference }),
    dist: facts.dist && withoutNulls({ type: facts.dist.type, url: facts.dist.url, reference: facts.dist.reference, shasum: facts.dist.shasum }),
    // Package::getType(): `$this->type ?: 'library'`, after ArrayLoader's strtolower().
    type: phpEmpty(c.type) ? "library" : asciiLower(c.type as string),
    support: nonEmptyObject(c.support),
    funding: nonEmptyList(c.funding) as PhpArray[] | undefined,
    time: releaseTime(c.time, facts.time),
    autoload: nonEmptyObject(c.autoload),
    extra: nonEmptyObject(c.extra),
    "target-dir": targetDir(c["target-dir"]),
    "include-path": nonEmptyList(c["include-path"]) as Array<string | number> | undefined,
    bin: binaries(c.bin),
    "default-branch": facts.isDefaultBranch === true ? true : undefined,
    require: links(c.require),
    "require-dev": links(c["require-dev"]),
    suggest: suggests(c.suggest, facts.version),
    conflict: links(c.conflict),
    provide: links(c.provide),
    replace: links(c.replace),
    abandoned: abandoned(c.abandoned),
  };
  // ArrayDumper writes no key for an absent value.
  const record: Record<string, unknown> = entry;
  for (const key of Object.keys(record)) if (record[key] === undefined) delete record[key];
  return entry;
}

/** Composer's `!empty($x) && is_string($x)`. */
function nonEmptyString(value: unknown): string | undefined {
  return typeof value === "string" && !phpEmpty(value) ? value : undefined;
}

function valuesOf(array: PhpArray): JsonValue[] {
  return phpEntries(array).map(([, value]) => value);
}

/** A deep copy of a non-empty array as a list; PHP would print a list with gaps as an object. */
function nonEmptyList(value: unknown): JsonValue[] | undefined {
  return isPhpArray(value) && phpCount(value) > 0 ? structuredClone(valuesOf(value)) : undefined;
}

/** A deep copy of a non-empty array as an object (a list becomes {"0": ...}, same to PHP). */
function nonEmptyObject(value: unknown): JsonObject | undefined {
  return isPhpArray(value) && phpCount(value) > 0 ? structuredClone(Object.fromEntries(phpEntries(value))) : undefined;
}

/** ArrayLoader strval()s keywords; ArrayDumper sort()s them. */
function keywordsOf(value: unknown): string[] | undefined {
  if (!isPhpArray(value) || phpCount(value) === 0) return undefined;
  return valuesOf(value).map((keyword) => phpString(keyword as string | number)).sort(phpCompareStrings);
}

function releaseTime(own: unknown, fallback: Date | string | undefined): string | undefined {
  if (typeof own === "string" && !phpEmpty(own)) {
    const parsed = parsePhpDate(own);
    if (parsed) return parsed.rfc3339;
  }
  if (fallback === undefined) return undefined;
  if (fallback instanceof Date) return formatRfc3339Utc(fallback);
  const parsed = parsePhpDate(fallback);
  if (!parsed) throw new TypeError(`unparseable release time: ${fallback}`);
  return parsed.rfc3339;
}

/** Package::getTargetDir(): "." and ".." segments collapse to "/", then leading slashes go. */
function targetDir(value: unknown): string | undefined {
  if (typeof value !== "string") return undefined;
  const cleaned = value
    .replace(/(?:^|[\\/]+)\.\.?(?:[\\/]+|$|(?=\n$))(?:\.\.?(?:[\\/]+|$|(?=\n$)))*/g, "/")
    .replace(/^\/+/, "");
  return phpEmpty(cleaned) ? undefined : cleaned;
}

/** ArrayLoader: a string becomes a one-element list, and each path loses its leading slashes. */
function binaries(value: unknown): string[] | undefined {
  if (typeof value !== "string" && !isPhpArray(value)) return undefined;
  const list = typeof value === "string" ? [value] : valuesOf(value);
  return list.length > 0 ? list.map((bin) => String(bin).replace(/^\/+/, "")) : undefined;
}

/** ArrayLoader::parseLinks lowercases targets; ArrayDumper ksort()s them. */
function links(value: unknown): LinkMap | undefined {
  if (!isPhpArray(value)) return undefined;
  // A Map, not an object: a "__proto__" target must stay a key. Later duplicates win, as in PHP.
  const lowered = new Map<string, string>();
  for (const [target, constraint] of phpEntries(value)) {
    if (typeof constraint === "string") lowered.set(asciiLower(target), constraint);
  }
  return lowered.size > 0 ? ksort([...lowered]) : undefined;
}

/** Suggestions keep their case; "self.version" becomes the version itself (ArrayLoader). */
function suggests(value: unknown, prettyVersion: string): LinkMap | undefined {
  if (!isPhpArray(value)) return undefined;
  const entries: Array<[string, string]> = [];
  for (const [target, reason] of phpEntries(value)) {
    if (typeof reason === "string") entries.push([target, phpTrim(reason) === "self.version" ? prettyVersion : reason]);
  }
  return entries.length > 0 ? ksort(entries) : undefined;
}

/** ArrayDumper: `$package->getReplacementPackage() ?: true` when `(bool) $abandoned`. */
function abandoned(value: unknown): string | true | undefined {
  if (phpEmpty(value)) return undefined;
  return typeof value === "string" ? value : true;
}

function withoutNulls<T extends Record<string, unknown>>(record: T): { [K in keyof T]: Exclude<T[K], null> } {
  const copy: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(record)) if (value !== null && value !== undefined) copy[key] = value;
  return copy as { [K in keyof T]: Exclude<T[K], null> };
}
