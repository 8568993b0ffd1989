// Reads one package from a Composer 1 style upstream (see composer1-root.ts) and hands back the
// p2 document Composer 2 would have got: `{"packages": {name: [versions]}}`, tags or branches.
// Every file a listing names by hash is checked against that hash, as Composer does: a
// mismatch is a failure (the mirrored copy stays as it was), never a document. Listings are
// content-addressed, so a parsed one is kept in memory for as long as the root names it.
import { WeightedLru } from "../cache/lru.ts";
import type { ProxyConfig } from "../config.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";
import { sha1Hex, sha256Hex } from "../crypto/digest.ts";
import { composer1Versions, includeEntries, providerFileUrl, providerHashes, type Composer1Root, type FileHash } from "./composer1-root.ts";
import type { UpstreamClient } from "./upstream-client.ts";
import type { Upstream } from "./upstream-registry.ts";

export type Composer1Answer =
  /** `fingerprint`: the hash the listing gives the file read, null when it gives none (inline packages, unhashed includes). */
  | { kind: "found"; body: Uint8Array; fingerprint: string | null }
  | { kind: "missing" }
  | { kind: "failed"; message: string };

type Listing = { ok: true; value: Record<string, unknown> } | { ok: false; message: string };

const MB = 1024 * 1024;
const MAX_INCLUDE_DEPTH = 3;
const encoder = new TextEncoder();

export class Composer1Source {
  readonly #client: UpstreamClient;
  readonly #config: ProxyConfig;
  /** Parsed listing files (provider-includes, includes), keyed by their hash. */
  readonly #listings = new WeightedLru<Record<string, unknown>>(64 * MB);

  constructor(client: UpstreamClient, config: ProxyConfig) {
    this.#client = client;
    this.#config = config;
  }

  /** `previous`: the fingerprint of the copy already mirrored (unchanged: nothing is fetched again). */
  async lookup(upstream: Upstream, root: Composer1Root, name: string, kind: DocumentKind, previous: string | null, now: number): Promise<Composer1Answer> {
    const inline = composer1Versions(root.packages, name);
    if (inline) return found(name, kind, inline, null);
    const viaProviders = await this.#fromProviders(upstream, root, name, kind, previous, now);
    if (viaProviders.kind !== "missing") return viaProviders;
    return this.#fromIncludes(upstream, root, root.includes, name, kind, now, 0);
  }

  async #fromProviders(upstream: Upstream, root: Composer1Root, name: string, kind: DocumentKind, previous: string | null, now: number): Promise<Composer1Answer> {
    if (!root.providersUrl) return { kind: "missing" };
    let sha256: string | undefined = Object.hasOwn(root.providers, name) ? root.providers[name] : undefined;
    for (const include of root.providerIncludes) {
      if (sha256) break;
      const listing = await this.#listing(upstream, include.url, include.hash, now);
      if (!listing.ok) return { kind: "failed", message: listing.message };
      const providers = listing.value.providers;
      if (providers && typeof providers === "object" && !Array.isArray(providers)) {
        const hashes = providerHashes(providers as Record<string, unknown>);
        if (Object.hasOwn(hashes, name)) sha256 = hashes[name];
      }
    }
    if (!sha256) return { kind: "missing" };
    const fingerprint = `sha256:${sha256}:${kind}`;
    if (previous === fingerprint) return { kind: "found", body: new Uint8Array(), fingerprint };
    const file = await this.#fetchVerified(upstream, providerFileUrl(root.providersUrl, name, sha256), { algorithm: "sha256", hex: sha256 }, now);
    if (!file.ok) return { kind: "failed", message: file.message };
    const versions = composer1Versions(isObject(file.value.packages) ? file.value.packages : {}, name);
    return versions ? found(name, kind, versions, fingerprint) : { kind: "missing" };
  }

  async #fromIncludes(upstream: Upstream, root: Composer1Root, includes: Composer1Root["includes"], name: string, kind: DocumentKind, now: number, depth: number): Promise<Composer1Answer> {
    for (const include of includes) {
      const listing = await this.#listing(upstream, include.url, include.hash, now);
      if (!listing.ok) return { kind: "failed", message: listing.message };
      const versions = composer1Versions(isObject(listing.value.packages) ? listing.value.packages : {}, name);
      if (versions) return found(name, kind, versions, include.hash ? `${include.hash.algorithm}:${include.hash.hex}:${kind}` : null);
      const nested = listing.value.includes;
      if (isObject(nested) && depth < MAX_INCLUDE_DEPTH) {
        const answer = await this.#fromIncludes(upstream, root, includeEntries(nested, include.url.replace(/\/[^/]*$/, "")), name, kind, now, depth + 1);
        if (answer.kind !== "missing") return answer;
      }
    }
    return { kind: "missing" };
  }

  /** A listing file, from memory when its hash was seen before. */
  async #listing(upstream: Upstream, url: string, hash: FileHash | null, now: number): Promise<Listing> {
    const key = hash ? `${upstream.id}\n${hash.algorithm}:${hash.hex}` : null;
    const cached = key ? this.#listings.get(key) : undefined;
    if (cached) return { ok: true, value: cached };
    const fetched = await this.#fetchVerified(upstream, url, hash, now);
    if (fetched.ok && key) this.#listings.set(key, fetched.value, fetched.size * 2);
    return fetched;
  }

  async #fetchVerified(upstream: Upstream, url: string, hash: FileHash | null, now: number): Promise<(Listing & { ok: false }) | { ok: true; value: Record<string, unknown>; size: number }> {
    const fetched = await this.#client.fetchBuffered(upstream, composerFileUrl(url), { timeoutMs: this.#config.timeoutMs, maxBytes: this.#config.maxMetadataBytes }, now);
    const path = new URL(url).pathname;
    if (!fetched.ok) return { ok: false, message: fetched.message };
    if (fetched.status !== 200) return { ok: false, message: `${upstream.name} answered HTTP ${fetched.status} for ${path}.` };
    if (hash && (await (hash.algorithm === "sha256" ? sha256Hex : sha1Hex)(fetched.body)) !== hash.hex) {
      return { ok: false, message: `${upstream.name} sent ${path} with contents that do not match its ${hash.algorithm} in the listing: refused.` };
    }
    try {
      const value: unknown = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(fetched.body));
      if (isObject(value)) return { ok: true, value, size: fetched.body.length };
    } catch {
      // Reported below.
    }
    return { ok: false, message: `${upstream.name} sent ${path}, which is not a JSON object.` };
  }
}

function found(name: string, kind: DocumentKind, versions: NonNullable<ReturnType<typeof composer1Versions>>, fingerprint: string | null): Composer1Answer {
  const list = kind === "dev" ? versions.dev : versions.tags;
  return { kind: "found", body: encoder.encode(JSON.stringify({ packages: { [name]: list } })), fingerprint };
}

/** Composer url-encodes the first `$` of a file URL ("bad proxies choke on them"): so do we. */
function composerFileUrl(url: string): string {
  const at = url.indexOf("$");
  return at > 0 ? `${url.slice(0, at)}%24${url.slice(at + 1)}` : url;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
