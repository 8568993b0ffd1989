// Turns an upstream's p2 document into the one Satchel serves: checked (an upstream is
// untrusted input: garbage never reaches the cache), reduced to the requested name (another
// name in the body cannot poison the cache), and with each zip dist pointed at Satchel's own
// /zipball URL. The original dist URLs are kept aside for the first download. Pure (async for
// the digest of a reference it makes up).
import { REFERENCE_PATTERN } from "../blobs/keys.ts";
import { sha1Hex } from "../crypto/digest.ts";
import { expandVersions, minifyVersions } from "../composer-rules/minify.ts";
import { MINIFIED_FORMAT } from "../composer-rules/p2-document.ts";
import { PUBLIC_BASE_PLACEHOLDER } from "../composer/public-base.ts";

export interface MirrorDist {
  url: string;
  type: string;
  /** sha1 the upstream published, "" when none. */
  shasum: string;
}

export type PreparedDocument =
  | { kind: "found"; body: string; dists: Record<string, MirrorDist>; versions: number }
  | { kind: "missing" }
  | { kind: "invalid"; message: string };

const MAX_VERSIONS = 20_000;

export async function prepareMirrorDocument(name: string, raw: Uint8Array): Promise<PreparedDocument> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(raw));
  } catch {
    return { kind: "invalid", message: "the upstream sent a body that is not JSON" };
  }
  if (!isObject(parsed) || !isObject(parsed.packages)) return { kind: "invalid", message: "the upstream document has no packages object" };
  // Composer reads only the requested (lowercased) name: so do we.
  const list = Object.hasOwn(parsed.packages, name) ? parsed.packages[name] : undefined;
  if (list === undefined) return { kind: "missing" };
  if (!Array.isArray(list) || list.length > MAX_VERSIONS || !list.every(isObject)) return { kind: "invalid", message: `the upstream's versions of ${name} are not a list of objects` };
  const versions = parsed.minified === MINIFIED_FORMAT ? expandVersions(list) : list;
  const dists: Record<string, MirrorDist> = {};
  const rewritten: Record<string, unknown>[] = [];
  for (const version of versions) {
    if (typeof version.version !== "string" || version.version.length > 255) return { kind: "invalid", message: `a version of ${name} has no valid "version"` };
    rewritten.push(await rewriteDist(name, version, dists));
  }
  const document: Record<string, unknown> = { minified: MINIFIED_FORMAT, packages: { [name]: minifyVersions(rewritten) } };
  const advisories = parsed["security-advisories"];
  if (Array.isArray(advisories) && advisories.every(isObject)) document["security-advisories"] = advisories;
  return { kind: "found", body: JSON.stringify(document), dists, versions: rewritten.length };
}

async function rewriteDist(name: string, version: Record<string, unknown>, dists: Record<string, MirrorDist>): Promise<Record<string, unknown>> {
  const dist = version.dist;
  if (!isObject(dist)) return version;
  const { url, type, shasum } = dist;
  if (type !== "zip" || typeof url !== "string") return version;
  try {
    const parsedUrl = new URL(url);
    if (parsedUrl.protocol !== "https:" && parsedUrl.protocol !== "http:") return version;
  } catch {
    return version;
  }
  // Archives without a reference (repo.magento.com's, Packeton #111) get one made from their
  // URL: hex, so Composer's mirror URL keeps it as is, and stable across refreshes.
  const reference = dist.reference === null || dist.reference === undefined || dist.reference === "" ? await sha1Hex(url) : dist.reference;
  // Only zips with a reference that can be a blob key are mirrored; others keep their URL.
  if (typeof reference !== "string" || !REFERENCE_PATTERN.test(reference)) return version;
  dists[reference] ??= { url, type, shasum: typeof shasum === "string" && /^[0-9a-f]{40}$/i.test(shasum) ? shasum.toLowerCase() : "" };
  return { ...version, dist: { ...dist, reference, url: `${PUBLIC_BASE_PLACEHOLDER}/zipball/${name}/${reference}.zip` } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
