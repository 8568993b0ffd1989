// Serves p2 documents: the stored build artifacts for principals who see everything, and
// per-(document, visibility) views derived once, stored beside the documents and kept in
// memory. Nothing here re-derives a document on a warm request.
import { gzipSync } from "fflate";
import { filterVersions } from "../acl/filter-versions.ts";
import type { VersionFilter } from "../acl/visibility.ts";
import { sha256Hex } from "../auth/constant-time.ts";
import { metadataViewKey } from "../blobs/keys.ts";
import { WeightedLru } from "../cache/lru.ts";
import { expandVersions } from "../composer-rules/minify.ts";
import { serializeP2 } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import type { BlobStore } from "../ports.ts";
import { withPublicBase } from "./public-base.ts";

export type DocumentKind = "tags" | "dev";

const MB = 1024 * 1024;
const encoder = new TextEncoder();
// TextEncoder always returns a fresh ArrayBuffer-backed array; the DOM typings just say so loosely.
const utf8 = (text: string) => encoder.encode(text) as Uint8Array<ArrayBuffer>;

export class MetadataStore {
  readonly #blobs: BlobStore;
  readonly #raw = new WeightedLru<string>(48 * MB);
  /** Final bodies, UTF-8 encoded (and gzipped on first demand) once: the hot path only sends bytes. */
  readonly #rendered = new WeightedLru<RenderedBody>(48 * MB);
  readonly #references = new WeightedLru<Set<string>>(16 * MB);
  readonly #viewKeys = new WeightedLru<string>(4 * MB);

  constructor(blobs: BlobStore) {
    this.#blobs = blobs;
  }

  /** What body() would answer from memory, without a promise; undefined when it must do more. */
  peekBody(pkg: PackagePointer, kind: DocumentKind, filter: VersionFilter, base: string): RenderedBody | undefined {
    const docKey = kind === "tags" ? pkg.tagsDocKey : pkg.devDocKey;
    if (!docKey) return undefined;
    const sourceKey = filter.all ? docKey : this.#viewKeys.get(`${docKey}\n${filter.key}`);
    return sourceKey === undefined ? undefined : this.#rendered.get(`${sourceKey}\n${base}`);
  }

  /** The p2 body for this package, kind and visibility, with dist URLs under `base`. */
  async body(pkg: PackagePointer, kind: DocumentKind, filter: VersionFilter, base: string): Promise<RenderedBody> {
    const docKey = kind === "tags" ? pkg.tagsDocKey : pkg.devDocKey;
    if (!docKey) return new RenderedBody(utf8(serializeP2(pkg.name, [])));
    const sourceKey = filter.all ? docKey : await this.#viewKey(pkg.name, docKey, filter);
    const renderedKey = `${sourceKey}\n${base}`;
    const cached = this.#rendered.get(renderedKey);
    if (cached !== undefined) return cached;
    const raw = filter.all ? await this.#document(docKey) : await this.#view(pkg.name, docKey, filter, sourceKey);
    const rendered = new RenderedBody(utf8(withPublicBase(raw, base)));
    // Room for the gzipped copy too (a fraction of the raw size).
    this.#rendered.set(renderedKey, rendered, Math.ceil(rendered.raw.length * 1.25));
    return rendered;
  }

  /** Dist references of every version this visibility admits, for zipball ACL checks. */
  async visibleReferences(pkg: PackagePointer, filter: VersionFilter): Promise<Set<string>> {
    const cacheKey = `${pkg.tagsDocKey}\n${pkg.devDocKey}\n${filter.key}`;
    const cached = this.#references.get(cacheKey);
    if (cached) return cached;
    const references = new Set<string>();
    for (const docKey of [pkg.tagsDocKey, pkg.devDocKey]) {
      if (!docKey) continue;
      const versions = filterVersions(expandedVersions(pkg.name, await this.#document(docKey)), filter);
      for (const version of versions) if (version.dist?.reference) references.add(version.dist.reference);
    }
    this.#references.set(cacheKey, references, 64 + references.size * 64);
    return references;
  }

  async #document(key: string): Promise<string> {
    const cached = this.#raw.get(key);
    if (cached !== undefined) return cached;
    const blob = await this.#blobs.get(key);
    if (!blob) throw new Error(`metadata document missing from the blob store: ${key}`);
    const text = await blob.text();
    this.#raw.set(key, text, text.length * 2);
    return text;
  }

  async #viewKey(packageName: string, docKey: string, filter: VersionFilter): Promise<string> {
    // A SHA-256 per request for every customer was the one hash left on the warm path.
    const memoKey = `${docKey}\n${filter.key}`;
    let viewKey = this.#viewKeys.get(memoKey);
    if (viewKey === undefined) {
      viewKey = metadataViewKey(packageName, await sha256Hex(memoKey));
      this.#viewKeys.set(memoKey, viewKey, memoKey.length * 2 + viewKey.length * 2);
    }
    return viewKey;
  }

  async #view(packageName: string, docKey: string, filter: VersionFilter, viewKey: string): Promise<string> {
    const cached = this.#raw.get(viewKey);
    if (cached !== undefined) return cached;
    const stored = await this.#blobs.get(viewKey);
    let text: string;
    if (stored) {
      text = await stored.text();
    } else {
      const visible = filterVersions(expandedVersions(packageName, await this.#document(docKey)), filter);
      text = serializeP2(packageName, visible);
      await this.#blobs.put(viewKey, text);
    }
    this.#raw.set(viewKey, text, text.length * 2);
    return text;
  }
}

/** A p2 body as bytes, with its gzip form made once, when a client first accepts it. */
export class RenderedBody {
  readonly raw: Uint8Array<ArrayBuffer>;
  #gzipped: Uint8Array<ArrayBuffer> | undefined;

  constructor(raw: Uint8Array<ArrayBuffer>) {
    this.raw = raw;
  }

  get gzipped(): Uint8Array<ArrayBuffer> {
    this.#gzipped ??= gzipSync(this.raw, { level: 6 }) as Uint8Array<ArrayBuffer>;
    return this.#gzipped;
  }
}

function expandedVersions(packageName: string, document: string): VersionEntry[] {
  const parsed = JSON.parse(document) as { packages: Record<string, VersionEntry[]> };
  return expandVersions(parsed.packages[packageName] ?? []);
}
