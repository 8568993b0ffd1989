// Serves p2 documents: the stored build artifacts for principals who see everything, and
// per-(document, visibility) views derived once, stored beside the documents and kept in
// memory. Nothing here re-derives a document on a warm request. Everything else a restricted
// reader learns about a package (references, description, counts) comes from the same
// visible versions.
import { gzipSync } from "fflate";
import { filterVersions } from "../acl/filter-versions.ts";
import type { PublishedTimes } from "../acl/published-at.ts";
import type { VersionFilter } from "../acl/visibility.ts";
import { sha256Hex } from "../crypto/digest.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";
import { metadataViewKey, publishedTimesKey, withheldVersionsKey } from "../blobs/keys.ts";
import { filterMetadata, type WithheldVersion } from "../policies/withholding.ts";
import { WeightedLru } from "../cache/lru.ts";
import { expandVersions } from "../composer-rules/minify.ts";
import { serializeP2 } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import type { BlobStore } from "../ports.ts";
import { summarize, type PackageSummary } from "./package-summary.ts";
import { withPublicBase } from "./public-base.ts";
import { ViewClocks } from "./view-clocks.ts";


const MB = 1024 * 1024;
const encoder = new TextEncoder();
// TextEncoder always returns a fresh ArrayBuffer-backed array; the DOM typings just say so loosely.
const utf8 = (text: string) => encoder.encode(text) as Uint8Array<ArrayBuffer>;

/** A derived view: its text and the clock second it last changed for this visibility. */
interface View {
  text: string;
  clock: number;
}

export class MetadataStore {
  readonly #blobs: BlobStore;
  readonly #clocks: ViewClocks;
  readonly #raw = new WeightedLru<string>(48 * MB);
  readonly #views = new WeightedLru<View>(48 * MB);
  readonly #published = new WeightedLru<PublishedTimes>(8 * MB);
  /** Final bodies, UTF-8 encoded (and gzipped on first demand) once: the hot path only sends bytes. */
  readonly #rendered = new WeightedLru<{ body: RenderedBody; clock: number }>(48 * MB);
  readonly #visible = new WeightedLru<VisibleVersions>(32 * MB);
  readonly #withheld = new WeightedLru<readonly WithheldVersion[]>(4 * MB);

  readonly #rowTimes: (packageId: number) => Promise<PublishedTimes>;

  /** `rowTimes`: publish times from the version rows, for documents stored without them. */
  constructor(blobs: BlobStore, rowTimes: (packageId: number) => Promise<PublishedTimes>) {
    this.#blobs = blobs;
    this.#rowTimes = rowTimes;
    this.#clocks = new ViewClocks(blobs);
  }

  /** The p2 body for this package, kind and visibility, with dist URLs under `base`, and its Last-Modified clock. */
  async body(pkg: PackagePointer, kind: DocumentKind, filter: VersionFilter, base: string): Promise<{ body: RenderedBody; clock: number }> {
    const docKey = kind === "tags" ? pkg.tagsDocKey : pkg.devDocKey;
    if (!docKey) return { body: RenderedBody.ofText(serializeP2(pkg.name, [])), clock: pkg.updatedClock };
    // The package clock is part of a view's key: a document that comes back (a tag added, then
    // removed) must get a new Last-Modified, not the one its view had the first time.
    const sourceKey = filter.all ? docKey : metadataViewKey(pkg.name, docKey, await sha256Hex(`v2\n${docKey}\n${pkg.updatedClock}\n${filter.key}`));
    const renderedKey = `${sourceKey}\n${pkg.updatedClock}\n${base}`;
    const cached = this.#rendered.get(renderedKey);
    if (cached !== undefined) return cached;
    const view: View = filter.all ? { text: await this.#document(docKey), clock: pkg.updatedClock } : await this.#view(pkg, kind, docKey, filter, sourceKey);
    const rendered = { body: RenderedBody.ofText(withPublicBase(view.text, base)), clock: view.clock };
    // Room for the gzipped copy too (a fraction of the raw size).
    this.#rendered.set(renderedKey, rendered, Math.ceil(rendered.body.raw.length * 1.25));
    return rendered;
  }

  /** Every version (tags and branches) this visibility admits, expanded. */
  async visibleVersions(pkg: PackagePointer, filter: VersionFilter): Promise<VisibleVersions> {
    const cacheKey = `${pkg.tagsDocKey}\n${pkg.devDocKey}\n${filter.key}`;
    const cached = this.#visible.get(cacheKey);
    if (cached) return cached;
    const entries: VersionEntry[] = [];
    let weight = 256;
    for (const docKey of [pkg.tagsDocKey, pkg.devDocKey]) {
      if (!docKey) continue;
      const document = await this.#document(docKey);
      weight += document.length * 2;
      entries.push(...filterVersions(expandedVersions(pkg.name, document), filter, await this.#publishedTimes(pkg, docKey)));
    }
    const visible = new VisibleVersions(entries);
    this.#visible.set(cacheKey, visible, weight);
    return visible;
  }

  /**
   * The withheld version (flagged, or a plugin not allowed) with this dist reference that this
   * visibility would otherwise see: its zipball answers 410 instead of 404. Read only when a
   * reference is not visible, from the list stored beside the documents.
   */
  async withheldByReference(pkg: PackagePointer, filter: VersionFilter, reference: string): Promise<WithheldVersion | undefined> {
    for (const docKey of [pkg.tagsDocKey, pkg.devDocKey]) {
      const found = docKey ? (await this.#admittedWithheld(pkg, docKey, filter)).find((version) => version.reference === reference) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** Description, type, newest version and counts as this visibility sees them. */
  async summary(pkg: PackagePointer, filter: VersionFilter): Promise<PackageSummary> {
    return (await this.visibleVersions(pkg, filter)).summary;
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

  /** Versions a document leaves out; none for a document stored without the list (nothing was withheld then). */
  async #withheldOf(docKey: string): Promise<readonly WithheldVersion[]> {
    const cached = this.#withheld.get(docKey);
    if (cached) return cached;
    const blob = await this.#blobs.get(withheldVersionsKey(docKey));
    const withheld: readonly WithheldVersion[] = blob ? (JSON.parse(await blob.text()) as WithheldVersion[]) : [];
    this.#withheld.set(docKey, withheld, 64 + withheld.length * 256);
    return withheld;
  }

  /** The versions a document withholds that this visibility would otherwise see. */
  async #admittedWithheld(pkg: PackagePointer, docKey: string, filter: VersionFilter): Promise<WithheldVersion[]> {
    const withheld = await this.#withheldOf(docKey);
    if (withheld.length === 0) return [];
    const admitted = new Set(filterVersions(withheld.map(asFilterable), filter, await this.#publishedTimes(pkg, docKey)).map((entry) => entry.version_normalized));
    return withheld.filter((version) => admitted.has(version.versionNormalized));
  }

  /** Publish times stored beside a document; for one stored before they were, from the version rows. */
  async #publishedTimes(pkg: PackagePointer, docKey: string): Promise<PublishedTimes> {
    const cached = this.#published.get(docKey);
    if (cached) return cached;
    const blob = await this.#blobs.get(publishedTimesKey(docKey));
    const times: PublishedTimes = blob ? new Map(Object.entries(JSON.parse(await blob.text()) as Record<string, number>)) : await this.#rowTimes(pkg.id);
    this.#published.set(docKey, times, 64 + times.size * 64);
    return times;
  }

  async #view(pkg: PackagePointer, kind: DocumentKind, docKey: string, filter: VersionFilter, viewKey: string): Promise<View> {
    const cached = this.#views.get(viewKey);
    if (cached !== undefined) return cached;
    const stored = await this.#blobs.get(viewKey);
    // A view is keyed by what it is derived from, not by its bytes: one left half-written by a
    // failed put is derived and written again.
    let view = stored ? parseStoredView(await stored.text()) : null;
    if (!view) {
      const times = await this.#publishedTimes(pkg, docKey);
      const visible = filterVersions(expandedVersions(pkg.name, await this.#document(docKey)), filter, times);
      // The filter metadata names only the withheld versions this visibility would otherwise see;
      // the tags document names the flagged branches too (Composer reads `filter` from it only).
      const withheldDocs = kind === "tags" ? [pkg.tagsDocKey, pkg.devDocKey] : [docKey];
      const withheld = (await Promise.all(withheldDocs.map((key) => (key ? this.#admittedWithheld(pkg, key, filter) : [])))).flat();
      const text = serializeP2(pkg.name, visible, filterMetadata(withheld));
      const newestPublished = Math.max(Math.floor(pkg.createdAt / 1000), ...visible.map((entry) => Math.floor((times.get(entry.version_normalized) ?? 0) / 1000)));
      const clock = await this.#clocks.clockFor({
        scope: `p2\n${kind}\n${pkg.name}\n${filter.key}`,
        content: text,
        changedAt: pkg.updatedClock,
        firstAt: Math.min(pkg.updatedClock, newestPublished),
      });
      view = { text, clock };
      await this.#blobs.put(viewKey, `${clock}\n${text}`);
    }
    this.#views.set(viewKey, view, view.text.length * 2 + 64);
    return view;
  }
}

/** One visibility's versions of a package, with what listings and ACL checks read from them. */
export class VisibleVersions {
  readonly entries: readonly VersionEntry[];
  readonly references: ReadonlySet<string>;
  readonly summary: PackageSummary;
  readonly #shasums: ReadonlyMap<string, string>;

  constructor(entries: VersionEntry[]) {
    this.entries = entries;
    this.references = new Set(entries.flatMap((entry) => (entry.dist?.reference ? [entry.dist.reference] : [])));
    this.#shasums = new Map(entries.flatMap((entry) => (entry.dist?.reference && entry.dist.shasum ? [[entry.dist.reference, entry.dist.shasum] as const] : [])));
    this.summary = summarize(entries);
  }

  /** The shasum published for the archive of `reference` ("" while it is not built). */
  shasumOf(reference: string): string {
    return this.#shasums.get(reference) ?? "";
  }
}

/** A p2 (or packages.json) body as bytes, with its gzip form made once, when a client first accepts it. */
export class RenderedBody {
  readonly raw: Uint8Array<ArrayBuffer>;
  #gzipped: Uint8Array<ArrayBuffer> | undefined;

  constructor(raw: Uint8Array<ArrayBuffer>) {
    this.raw = raw;
  }

  static ofText(text: string): RenderedBody {
    return new RenderedBody(utf8(text));
  }

  get gzipped(): Uint8Array<ArrayBuffer> {
    this.#gzipped ??= gzipSync(this.raw, { level: 6 }) as Uint8Array<ArrayBuffer>;
    return this.#gzipped;
  }
}

/** A stored view (`<clock>\n<json>`), or null when it is not whole. */
function parseStoredView(stored: string): View | null {
  const newline = stored.indexOf("\n");
  const clock = Number(stored.slice(0, newline));
  const text = stored.slice(newline + 1);
  if (newline < 0 || !Number.isSafeInteger(clock)) return null;
  try {
    JSON.parse(text);
  } catch {
    return null;
  }
  return { clock, text };
}

/** Enough of an entry for filterVersions (which reads the version and its publish time). */
function asFilterable(version: WithheldVersion): VersionEntry {
  return { name: "", version: version.version, version_normalized: version.versionNormalized } as VersionEntry;
}

function expandedVersions(packageName: string, document: string): VersionEntry[] {
  const parsed = JSON.parse(document) as { packages: Record<string, VersionEntry[]> };
  return expandVersions(parsed.packages[packageName] ?? []);
}
