// What Composer's ValidatingArrayLoader (CHECK_ALL unless `flags` says otherwise) does to a composer.json before a
// repository publishes it: same checks in the same order, same messages, and the same habit of
// dropping an invalid field (with an error or a warning) rather than keeping it.
// composer/composer src/Composer/Package/Loader/ValidatingArrayLoader.php, load().
//
// Beyond Composer: values that make Composer's ArrayLoader crash later (a TypeError under
// strict_types, or a warning its ErrorHandler turns into an exception) are errors here; so are a
// platform package name ("php") and a name longer than 255 characters (THE package-name rule,
// package-name.ts), non-string license entries, and release dates outside ISO-8601 (php-date.ts);
// `abandoned` is coerced to a boolean or a string.
import { MAX_PACKAGE_NAME_LENGTH, isPlatformPackage, packageNamingError } from "./package-name.ts";
import { parsePhpDate } from "./php-date.ts";
import { isJsonObject, isPhpArray, isSet, phpEmpty, phpEntries, phpString, phpType, type JsonObject, type JsonValue, type PhpArray } from "./php-values.ts";
import { Checker } from "./validate-checker.ts";
import { CHECK_ALL, checkBranchAliases, checkLinks, checkSuggest } from "./validate-links.ts";
import { checkAuthors, checkFunding, checkLicense, checkSupport } from "./validate-people.ts";
import { normalize } from "./version-parser.ts";

/** A PHP array as JSON carries it: a list, or an object keyed by strings. */
export type PhpList<T> = T[] | { [key: string]: T };

/** A composer.json after validation: the fields below have the types shown, or are absent. */
export type ComposerJson = {
  name?: string;
  version?: string;
  description?: string;
  homepage?: string;
  type?: string;
  time?: string;
  "target-dir"?: string;
  license?: string | PhpList<string>;
  keywords?: PhpList<string | number>;
  authors?: PhpList<PhpArray>;
  support?: PhpArray;
  funding?: PhpList<PhpArray>;
  autoload?: JsonObject;
  extra?: PhpArray;
  bin?: string | PhpList<string>;
  "include-path"?: PhpList<string | number>;
  require?: PhpList<string>;
  "require-dev"?: PhpList<string>;
  conflict?: PhpList<string>;
  provide?: PhpList<string>;
  replace?: PhpList<string>;
  suggest?: PhpList<string>;
  abandoned?: string | boolean;
  [key: string]: JsonValue | undefined;
};

export interface ValidateOptions {
  /** Composer always requires a name; a caller that supplies it elsewhere may relax this. */
  requireName?: boolean;
  requireVersion?: boolean;
  /** "Now" for the recent-release license check; defaults to the current time. */
  now?: Date;
  /** ValidatingArrayLoader's CHECK_* flags (validate-links.ts); CHECK_ALL by default. */
  flags?: number;
}

export interface ValidationResult {
  errors: string[];
  warnings: string[];
  config: ComposerJson;
}

const AUTOLOAD_TYPES = ["psr-0", "psr-4", "classmap", "files", "exclude-from-classmap"];
const STABILITIES = ["stable", "RC", "beta", "alpha", "dev"];

export function validateComposerJson(data: unknown, opts: ValidateOptions = {}): ValidationResult {
  if (!isPhpArray(data)) {
    return { errors: [`composer.json : should be an object, ${phpType(data)} given`], warnings: [], config: {} };
  }
  // PHP decodes a JSON list to an array too (with keys 0, 1...): it then simply has no name.
  const original: JsonObject = Array.isArray(data) ? Object.fromEntries(phpEntries(data)) : data;
  const v = new Checker(structuredClone(original));

  v.validateString("name", opts.requireName ?? true);
  if (typeof original.name === "string") {
    const namingError = packageNamingError(original.name);
    if (namingError !== null) v.error(`name : ${namingError}`);
    else if (isPlatformPackage(original.name)) v.error(`name : ${original.name} is a platform package name (php, ext-*, lib-*...), not a package name`);
    else if (original.name.length > MAX_PACKAGE_NAME_LENGTH) v.error(`name : ${original.name} is longer than ${MAX_PACKAGE_NAME_LENGTH} characters`);
  }
  checkVersion(v, opts.requireVersion ?? false);
  checkPlatformConfig(v);
  v.validateRegex("type", /^[A-Za-z0-9-]+$/u, "[A-Za-z0-9-]+");
  v.validateString("target-dir");
  v.validateArray("extra");
  if (isSet(v.get("bin"))) checkBin(v);
  v.validateArray("scripts");
  v.validateString("description");
  v.validateUrl("homepage");
  v.validateFlatArray("keywords", /^[\p{N}\p{L} ._-]+$/u, "[\\p{N}\\p{L} ._-]+");

  let releaseTimestamp: number | null = null;
  if (v.validateString("time")) {
    const time = v.get("time") as string;
    const parsed = parsePhpDate(time);
    if (parsed) releaseTimestamp = parsed.timestamp;
    else {
      v.error(`time : invalid value (${time}): Failed to parse time string (${time})`);
      v.unset("time");
    }
  }
  checkLicense(v, releaseTimestamp, Math.floor((opts.now ?? new Date()).getTime() / 1000));
  checkAuthors(v);
  checkSupport(v);
  checkFunding(v);
  checkLinks(v, opts.flags ?? CHECK_ALL);
  checkSuggest(v);
  checkMinimumStability(v);
  checkAutoload(v);
  checkSourceAndDist(v);
  v.validateFlatArray("include-path");
  v.validateArray("transport-options");
  checkBranchAliases(v);
  checkLoaderTypes(v);
  checkAbandoned(v);
  return { errors: v.errors, warnings: v.warnings, config: v.config as ComposerJson };
}

function checkVersion(v: Checker, required: boolean): void {
  const version = v.get("version");
  if (isSet(version)) {
    if (isPhpArray(version)) v.validateString("version");
    else {
      const text = phpString(version as string | number | boolean);
      v.config.version = text;
      try {
        normalize(text);
      } catch (e) {
        v.error(`version : invalid value (${text}): ${e instanceof Error ? e.message : String(e)}`);
        v.unset("version");
      }
    }
  }
  if (required && !isSet(v.get("version"))) v.error("version : must be present");
}

/** config.platform entries must be normalizable versions (or false, to disable one). */
function checkPlatformConfig(v: Checker): void {
  const config = v.get("config");
  if (!isJsonObject(config) || !isSet(config.platform)) return;
  const platform = isPhpArray(config.platform) ? phpEntries(config.platform) : [["0", config.platform] as const];
  for (const [key, value] of platform) {
    if (value === false) continue;
    if (typeof value !== "string") {
      v.error(`config.platform.${key} : invalid value (${phpType(value)} ${JSON.stringify(value)}): expected string or false`);
      continue;
    }
    try {
      normalize(value);
    } catch (e) {
      v.error(`config.platform.${key} : invalid value (${value}): ${e instanceof Error ? e.message : String(e)}`);
    }
  }
}

/** A string, or a flat array of strings: ArrayLoader ltrim()s each entry, which crashes on numbers. */
function checkBin(v: Checker): void {
  if (typeof v.get("bin") === "string") {
    v.validateString("bin");
    return;
  }
  if (!v.validateFlatArray("bin")) return;
  for (const [key, value] of phpEntries(v.get("bin") as PhpArray)) {
    if (typeof value !== "string") v.error(`bin.${key} : must be a string, ${phpType(value)} given`);
  }
}

function checkMinimumStability(v: Checker): void {
  if (!v.validateString("minimum-stability")) return;
  const value = v.get("minimum-stability") as string;
  // Composer looks the lowercased value up among keys that include "RC", hence this exact test.
  if (!STABILITIES.includes(value.toLowerCase()) && value !== "RC") {
    v.error(`minimum-stability : invalid value (${value}), must be one of ${STABILITIES.join(", ")}`);
    v.unset("minimum-stability");
  }
}

function checkAutoload(v: Checker): void {
  if (v.validateArray("autoload")) {
    // A list has only numeric keys, all invalid; as an object it can lose them one by one.
    const autoload: JsonObject = Object.fromEntries(phpEntries(v.get("autoload") as PhpArray));
    v.config.autoload = autoload;
    for (const [type, typeConfig] of Object.entries(autoload)) {
      if (!AUTOLOAD_TYPES.includes(type)) {
        v.error(`autoload : invalid value (${type}), must be one of ${AUTOLOAD_TYPES.join(", ")}`);
        delete autoload[type];
      }
      if (type !== "psr-4") continue;
      if (!isPhpArray(typeConfig)) {
        // Composer iterates it with foreach, a warning its ErrorHandler makes fatal.
        v.error(`autoload.psr-4 : should be an array, ${phpType(typeConfig)} given`);
        continue;
      }
      for (const [namespace] of phpEntries(typeConfig)) {
        if (namespace !== "" && !namespace.endsWith("\\")) {
          v.error(`autoload.psr-4 : invalid value (${namespace}), namespaces must end with a namespace separator, should be ${namespace}\\\\`);
        }
      }
    }
  }
  const autoload = v.get("autoload");
  if (isJsonObject(autoload) && isSet(autoload["psr-4"]) && isSet(v.get("target-dir"))) {
    v.error("target-dir : this can not be used together with the autoload.psr-4 setting, remove target-dir to upgrade to psr-4");
    delete autoload["psr-4"];
  }
}

/** A composer.json rarely has these; when it does they must be well formed (we publish our own). */
function checkSourceAndDist(v: Checker): void {
  for (const kind of ["source", "dist"]) {
    if (!v.validateArray(kind)) continue;
    const fields = v.get(kind) as Record<string, unknown>;
    const { type, url, reference } = Array.isArray(fields) ? ({} as Record<string, unknown>) : fields;
    if (!isSet(type)) v.error(`${kind}.type : must be present`);
    if (!isSet(url)) v.error(`${kind}.url : must be present`);
    if (kind === "source" && !isSet(reference)) v.error(`${kind}.reference : must be present`);
    if (isSet(type) && typeof type !== "string") v.error(`${kind}.type : should be a string, ${phpType(type)} given`);
    if (isSet(url) && typeof url !== "string") v.error(`${kind}.url : should be a string, ${phpType(url)} given`);
    const referenceIsInt = typeof reference === "number" && Number.isInteger(reference);
    if (isSet(reference) && typeof reference !== "string" && !referenceIsInt) {
      v.error(`${kind}.reference : should be a string or int, ${phpType(reference)} given`);
    }
    if ((typeof reference === "string" || referenceIsInt) && /^\s*-/.test(String(reference))) {
      v.error(`${kind}.reference : must not start with a "-", "${String(reference)}" given`);
    }
    if (typeof url === "string" && /^\s*-/.test(url)) v.error(`${kind}.url : must not start with a "-", "${url}" given`);
  }
}

/**
 * Fields ValidatingArrayLoader leaves alone but ArrayLoader hands to typed setters, where a wrong
 * type is a TypeError: Composer cannot load such a package at all.
 */
function checkLoaderTypes(v: Checker): void {
  const devAutoload = v.get("autoload-dev");
  if (isSet(devAutoload) && !isPhpArray(devAutoload)) v.error(`autoload-dev : should be an array, ${phpType(devAutoload)} given`);
  const installationSource = v.get("installation-source");
  if (isSet(installationSource) && typeof installationSource !== "string") {
    v.error(`installation-source : should be a string, ${phpType(installationSource)} given`);
  }
  const notificationUrl = v.get("notification-url");
  if (!phpEmpty(notificationUrl) && typeof notificationUrl !== "string") {
    v.error(`notification-url : should be a string, ${phpType(notificationUrl)} given`);
  }
  const archive = v.get("archive");
  if (isJsonObject(archive)) {
    if (!phpEmpty(archive.name) && typeof archive.name !== "string") v.error(`archive.name : should be a string, ${phpType(archive.name)} given`);
    if (!phpEmpty(archive.exclude) && !isPhpArray(archive.exclude)) v.error(`archive.exclude : should be an array, ${phpType(archive.exclude)} given`);
  }
}

/** Composer takes any value and publishes `(bool) $abandoned`, or the string as the replacement. */
function checkAbandoned(v: Checker): void {
  const abandoned = v.get("abandoned");
  if (!isSet(abandoned) || typeof abandoned === "string" || typeof abandoned === "boolean") return;
  v.warn(`abandoned : should be a boolean or the name of a replacement package, ${phpType(abandoned)} given`);
  v.config.abandoned = !phpEmpty(abandoned);
}
