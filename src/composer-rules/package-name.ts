// THE package-name rule of this repository: Composer's own (ValidatingArrayLoader::hasPackageNamingError,
// composer/composer src/Composer/Package/Loader/ValidatingArrayLoader.php) plus a length cap, so
// every path, key and lookup agrees on what a package name is.

/** The lowercase pattern Composer documents and Packagist enforces. */
export const PACKAGE_NAME_PATTERN = "^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]|-{1,2})?[a-z0-9]+)*$";

/** Longest name accepted: a DB key and a blob path segment must stay bounded. */
export const MAX_PACKAGE_NAME_LENGTH = 255;

// Same language as PACKAGE_NAME_PATTERN, written without nested optional quantifiers so it cannot
// backtrack catastrophically (PHP avoids that with possessive quantifiers, which JS lacks).
const NAME_RE = /^[a-z0-9]+(?:[_.-][a-z0-9]+)*\/[a-z0-9]+(?:(?:[_.]|--?)[a-z0-9]+)*$/;
const NAME_RE_CI = new RegExp(NAME_RE.source, "i");

// PlatformRepository::PLATFORM_PACKAGE_REGEX: php, ext-*, lib-*, composer-*-api... never real packages.
const PLATFORM_RE = /^(?:php(?:-64bit|-ipv6|-zts|-debug)?|hhvm|(?:ext|lib)-[a-z0-9]+(?:[_.-][a-z0-9]+)*|composer(?:-(?:plugin|runtime)-api)?)$/i;

const RESERVED_NAMES = [
  "nul", "con", "prn", "aux",
  "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9",
  "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

export interface PackageName {
  vendor: string;
  name: string;
  full: string;
}

export function isPlatformPackage(name: string): boolean {
  return PLATFORM_RE.test(name);
}

/** True for a name this repository can host: Composer-valid, lowercase, not reserved, bounded. */
export function isValidPackageName(name: string): boolean {
  return name.length <= MAX_PACKAGE_NAME_LENGTH && NAME_RE.test(name) && packageNamingError(name) === null;
}

/**
 * Splits and checks `vendor/name`, given whole or as two parts. Returns null for anything
 * isValidPackageName rejects.
 */
export function parsePackageName(vendorOrFull: string, name?: string): PackageName | null {
  const full = name === undefined ? vendorOrFull : `${vendorOrFull}/${name}`;
  if (!isValidPackageName(full)) return null;
  const slash = full.indexOf("/");
  return { vendor: full.slice(0, slash), name: full.slice(slash + 1), full };
}

/**
 * Composer's hasPackageNamingError, message for message: null when fine (platform packages are
 * always fine), else the error text. `isLink` words the uppercase hint as Composer does for links.
 */
export function packageNamingError(name: string, isLink = false): string | null {
  if (isPlatformPackage(name)) return null;
  if (!NAME_RE_CI.test(name)) {
    return `${name} is invalid, it should have a vendor name, a forward slash, and a package name. The vendor and package name can be words separated by -, . or _. The complete name should match "^[a-z0-9]([_.-]?[a-z0-9]+)*/[a-z0-9](([_.]?|-{0,2})[a-z0-9]+)*$".`;
  }
  const [vendorPart, packagePart] = asciiLower(name).split("/");
  if (RESERVED_NAMES.includes(vendorPart) || RESERVED_NAMES.includes(packagePart)) {
    return `${name} is reserved, package and vendor names can not match any of: ${RESERVED_NAMES.join(", ")}.`;
  }
  // PHP's `{\.json$}` has no D modifier, but the pattern above already excluded a trailing newline.
  if (name.endsWith(".json")) {
    return `${name} is invalid, package names can not end in .json, consider renaming it or perhaps using a -json suffix instead.`;
  }
  if (/[A-Z]/.test(name)) {
    if (isLink) {
      return `${name} is invalid, it should not contain uppercase characters. Please use ${asciiLower(name)} instead.`;
    }
    const suggested = asciiLower(name.replace(/([a-z])([A-Z])|([A-Z])([A-Z][a-z])/g, "$1$3-$2$4"));
    return `${name} is invalid, it should not contain uppercase characters. We suggest using ${suggested} instead.`;
  }
  return null;
}

/** PHP's strtolower: ASCII only (PHP 8 is locale-insensitive here). */
export function asciiLower(value: string): string {
  return value.replace(/[A-Z]+/g, (upper) => upper.toLowerCase());
}

const VENDOR_WILDCARD_RE = /^[a-z0-9]+(?:[_.-][a-z0-9]+)*\/\*$/;

/** A package name or a whole vendor (`acme/*`): what grants, approvals and allowlists name. */
export function isPackagePattern(pattern: string): boolean {
  return pattern.length <= MAX_PACKAGE_NAME_LENGTH && (isValidPackageName(pattern) || VENDOR_WILDCARD_RE.test(pattern));
}
