// What a Composer 1 style packages.json (no `metadata-url`) says about where a package's
// versions are, as Composer's ComposerRepository reads it: inline `packages`, Satis-style
// `includes` (each a file of packages, with its sha1), `providers` / `provider-includes` (each a
// listing of package name -> sha256) with `providers-url` naming the per-package file. This is
// the layout repo.magento.com, packages.shopware.com and TYPO3 ELTS serve. Pure.

/** The hash a Composer 1 listing records for a file, as Composer verifies it. */
export interface FileHash {
  algorithm: "sha256" | "sha1";
  hex: string;
}

export interface Composer1Root {
  /** `providers-url` made absolute, with %package% and %hash% left in; null without one. */
  providersUrl: string | null;
  /** provider-includes: absolute URL (with %hash% filled in) -> its sha256. */
  providerIncludes: { url: string; hash: FileHash }[];
  /** Inline `providers` of the root: name -> sha256 of the package file. */
  providers: Record<string, string>;
  /** includes: absolute URL -> its hash (sha1 in Satis' output; sha256 accepted too). */
  includes: { url: string; hash: FileHash | null }[];
  /** Inline `packages` of the root: name -> version -> entry. */
  packages: Record<string, unknown>;
}

const HEX = /^[0-9a-f]+$/i;

/**
 * The Composer 1 fields of a root document, or null when it has none (or names a
 * `metadata-url`: Composer 2 then never reads the Composer 1 files, and neither do we).
 * `rootUrl` is the packages.json URL; relative paths resolve as Composer's do.
 */
export function parseComposer1Root(data: Record<string, unknown>, rootUrl: string): Composer1Root | null {
  if (typeof data["metadata-url"] === "string") return null;
  const base = baseUrl(rootUrl);
  const root: Composer1Root = { providersUrl: null, providerIncludes: [], providers: {}, includes: [], packages: {} };
  if (typeof data["providers-url"] === "string") root.providersUrl = canonicalize(data["providers-url"], rootUrl);
  if (isObject(data["provider-includes"])) {
    for (const [path, meta] of Object.entries(data["provider-includes"])) {
      const hash = fileHashOf(meta);
      if (hash?.algorithm === "sha256") root.providerIncludes.push({ url: `${base}/${path.replace("%hash%", hash.hex)}`, hash });
    }
  }
  if (isObject(data.providers)) root.providers = providerHashes(data.providers);
  if (isObject(data.includes)) root.includes = includeEntries(data.includes, base);
  if (isObject(data.packages)) root.packages = data.packages;
  const any = root.providerIncludes.length || Object.keys(root.providers).length || root.includes.length || Object.keys(root.packages).length;
  return any ? root : null;
}

/** An `includes` object's files, relative paths resolved against `base`. */
export function includeEntries(includes: Record<string, unknown>, base: string): Composer1Root["includes"] {
  return Object.entries(includes).map(([path, meta]) => ({ url: /^https?:\/\//.test(path) ? path : `${base}/${path}`, hash: fileHashOf(meta) }));
}

/** name -> sha256 of a `providers` object (a root's or a provider-include file's). */
export function providerHashes(providers: Record<string, unknown>): Record<string, string> {
  const hashes: Record<string, string> = {};
  for (const [name, meta] of Object.entries(providers)) {
    const hash = fileHashOf(meta);
    if (hash?.algorithm === "sha256") hashes[name.toLowerCase()] = hash.hex;
  }
  return hashes;
}

/** The per-package file's URL, as Composer builds it from `providers-url`. */
export function providerFileUrl(providersUrl: string, name: string, sha256: string): string {
  return providersUrl.replace("%package%", name).replace("%hash%", sha256);
}

/**
 * The versions of `name` in a Composer 1 `packages` object (name -> version -> entry), as a
 * list, split as p2 splits them: `dev` holds branches (dev-*, *-dev), `tags` the rest.
 */
export function composer1Versions(packages: Record<string, unknown>, name: string): { tags: Record<string, unknown>[]; dev: Record<string, unknown>[] } | null {
  const byVersion = Object.hasOwn(packages, name) ? packages[name] : undefined;
  if (!isObject(byVersion)) return null;
  const tags: Record<string, unknown>[] = [];
  const dev: Record<string, unknown>[] = [];
  for (const [key, entry] of Object.entries(byVersion)) {
    if (!isObject(entry)) continue;
    const version = typeof entry.version === "string" ? entry.version : key;
    const complete = { ...entry, name, version };
    (isDevVersion(version) ? dev : tags).push(complete);
  }
  return { tags, dev };
}

function isDevVersion(version: string): boolean {
  return version.startsWith("dev-") || version.endsWith("-dev");
}

/** The hash a listing gives a file: sha256 when present, else sha1 (Satis writes sha1 for includes). */
export function fileHashOf(meta: unknown): FileHash | null {
  if (!isObject(meta)) return null;
  if (typeof meta.sha256 === "string" && meta.sha256.length === 64 && HEX.test(meta.sha256)) return { algorithm: "sha256", hex: meta.sha256.toLowerCase() };
  if (typeof meta.sha1 === "string" && meta.sha1.length === 40 && HEX.test(meta.sha1)) return { algorithm: "sha1", hex: meta.sha1.toLowerCase() };
  return null;
}

/** Composer's baseUrl: the repository URL without a trailing `/something.json`. */
function baseUrl(rootUrl: string): string {
  return rootUrl.replace(/(?:\/[^/\\]+\.json)?(?:[?#].*)?$/, "").replace(/\/+$/, "");
}

/** Composer's canonicalizeUrl: a path starting with `/` is on the repository's scheme and host. */
function canonicalize(url: string, rootUrl: string): string {
  if (url.startsWith("/")) {
    const root = new URL(rootUrl);
    return `${root.protocol}//${root.host}${url}`;
  }
  return url;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
