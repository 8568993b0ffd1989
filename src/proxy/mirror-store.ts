// The lazy mirror of upstream p2 documents. A document is fetched on first request, stored in
// the blob store (content-addressed) with one row per (upstream, name, kind), served as is for
// the proxy TTL, then revalidated with If-Modified-Since. When the upstream fails, the stored
// copy is served with a Composer `warning`; a failure never replaces a good copy, and 404s are
// remembered (negative caching) so that a name the upstream lacks answers fast.
import { and, eq } from "drizzle-orm";
import { sha256Hex } from "../crypto/digest.ts";
import { mirrorDistsKey, mirrorDocKey } from "../blobs/keys.ts";
import { WeightedLru } from "../cache/lru.ts";
import type { ProxyConfig } from "../config.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { mirrorDists, mirrorDocuments } from "../db/schema.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";
import type { BlobStore, Database } from "../ports.ts";
import { prepareMirrorDocument, type MirrorDist } from "./mirror-document.ts";
import type { ProxyStats } from "./proxy-stats.ts";
import type { UpstreamClient } from "./upstream-client.ts";
import type { UpstreamRoots } from "./upstream-roots.ts";
import { Composer1Source } from "./composer1-source.ts";
import type { Upstream } from "./upstream-registry.ts";

type Row = typeof mirrorDocuments.$inferSelect;

export type MirrorLookup =
  | {
      status: "found";
      text: string;
      bodyKey: string;
      distsKey: string | null;
      clock: number;
      /** Until when this copy is served without asking the upstream (checked + the proxy TTL). */
      freshUntil: number;
      warning?: string;
    }
  | { status: "missing" }
  | { status: "unavailable"; message: string };

const MB = 1024 * 1024;
// With a copy to fall back on, a slow upstream is given less time before the copy is served.
const STALE_TIMEOUT_MS = 3000;

export class MirrorStore {
  readonly #db: Database;
  readonly #blobs: BlobStore;
  readonly #client: UpstreamClient;
  readonly #roots: UpstreamRoots;
  readonly #stats: ProxyStats;
  readonly #config: ProxyConfig;
  readonly #rowTtlMs: number;
  readonly #rows = new Map<string, { row: Row | null; loadedAt: number }>();
  readonly #texts = new WeightedLru<string>(48 * MB);
  readonly #distMaps = new WeightedLru<Record<string, MirrorDist>>(16 * MB);
  readonly #inflight = new Map<string, Promise<MirrorLookup>>();
  readonly #composer1: Composer1Source;

  constructor(deps: { db: Database; blobs: BlobStore; client: UpstreamClient; roots: UpstreamRoots; stats: ProxyStats; config: ProxyConfig; rowTtlMs: number }) {
    this.#db = deps.db;
    this.#blobs = deps.blobs;
    this.#client = deps.client;
    this.#roots = deps.roots;
    this.#stats = deps.stats;
    this.#config = deps.config;
    this.#rowTtlMs = deps.rowTtlMs;
    this.#composer1 = new Composer1Source(deps.client, deps.config);
  }

  /** `count: false` for lookups that serve something else (an archive's ACL check). */
  async lookup(upstream: Upstream, name: string, kind: DocumentKind, now: number, count = true): Promise<MirrorLookup> {
    const key = `${upstream.id}\n${name}\n${kind}`;
    const row = await this.#row(key, upstream.id, name, kind, now);
    if (row && now - row.checkedAt < this.#config.ttlMs) {
      const served = await this.#serve(row);
      if (served) {
        if (count) this.#stats.hit(upstream.id);
        return served;
      }
    }
    // One refresh per document at a time: concurrent requests share it.
    let pending = this.#inflight.get(key);
    if (!pending) {
      pending = this.#refresh(key, upstream, name, kind, row, now).finally(() => this.#inflight.delete(key));
      this.#inflight.set(key, pending);
    }
    return pending;
  }

  /** The original dist of `reference` in a found document, for the first download. */
  async dist(lookup: Extract<MirrorLookup, { status: "found" }>, reference: string): Promise<MirrorDist | null> {
    if (!lookup.distsKey) return null;
    let map = this.#distMaps.get(lookup.distsKey);
    if (!map) {
      const text = await this.#text(lookup.distsKey);
      if (text === null) return null;
      map = JSON.parse(text) as Record<string, MirrorDist>;
      this.#distMaps.set(lookup.distsKey, map, text.length * 2);
    }
    return Object.hasOwn(map, reference) ? (map[reference] ?? null) : null;
  }

  forget(): void {
    this.#rows.clear();
  }

  async #row(key: string, upstreamId: number, name: string, kind: DocumentKind, now: number): Promise<Row | null> {
    const cached = this.#rows.get(key);
    if (cached && now - cached.loadedAt < this.#rowTtlMs) return cached.row;
    const row =
      (await this.#db.orm
        .select()
        .from(mirrorDocuments)
        .where(and(eq(mirrorDocuments.upstreamId, upstreamId), eq(mirrorDocuments.name, name), eq(mirrorDocuments.kind, kind)))
        .get()) ?? null;
    this.#remember(key, row, now);
    return row;
  }

  #remember(key: string, row: Row | null, now: number): void {
    if (this.#rows.size >= 100_000) this.#rows.clear();
    this.#rows.set(key, { row, loadedAt: now });
  }

  async #serve(row: Row, warning?: string): Promise<MirrorLookup | null> {
    if (row.status !== "found") return { status: "missing" };
    if (!row.bodyKey) return null;
    const text = await this.#text(row.bodyKey);
    if (text === null) return null;
    return { status: "found", text, bodyKey: row.bodyKey, distsKey: row.distsKey, clock: row.changedClock, freshUntil: row.checkedAt + this.#config.ttlMs, ...(warning ? { warning } : {}) };
  }

  async #text(key: string): Promise<string | null> {
    const cached = this.#texts.get(key);
    if (cached !== undefined) return cached;
    const blob = await this.#blobs.get(key);
    if (!blob) return null;
    const text = await blob.text();
    this.#texts.set(key, text, text.length * 2);
    return text;
  }

  async #refresh(key: string, upstream: Upstream, name: string, kind: DocumentKind, row: Row | null, now: number): Promise<MirrorLookup> {
    const fallback = async (message: string): Promise<MirrorLookup> => {
      this.#stats.failed(upstream.id, message, now);
      if (row) {
        const when = new Date(row.checkedAt).toISOString().slice(0, 16).replace("T", " ");
        const served = await this.#serve(row, `Satchel: ${message} Serving the copy of ${name} checked at ${when} UTC.`);
        if (served) {
          this.#stats.hit(upstream.id);
          return served;
        }
      }
      return { status: "unavailable", message: `${message} No copy of ${name} is cached yet.` };
    };
    const down = this.#client.downReason(upstream, now);
    if (down) return fallback(down);
    const composer1 = await this.#roots.composer1(upstream, now);
    if (composer1) {
      const answer = await this.#composer1.lookup(upstream, composer1, name, kind, row?.status === "found" ? row.upstreamLastModified : null, now);
      if (answer.kind === "failed") return fallback(answer.message);
      if (answer.kind === "missing") return this.#missing(key, upstream, name, kind, row, now);
      if (row && answer.fingerprint !== null && answer.fingerprint === row.upstreamLastModified && row.status === "found") return this.#unchanged(key, upstream, name, kind, row, now, fallback);
      return this.#store(key, upstream, name, kind, row, answer.body, answer.fingerprint, now, fallback);
    }
    const template = await this.#roots.metadataUrl(upstream, now);
    const url = template.replace("%package%", kind === "dev" ? `${name}~dev` : name);
    const hasCopy = row?.status === "found";
    const fetched = await this.#client.fetchBuffered(
      upstream,
      url,
      {
        timeoutMs: hasCopy ? Math.min(STALE_TIMEOUT_MS, this.#config.timeoutMs) : this.#config.timeoutMs,
        maxBytes: this.#config.maxMetadataBytes,
        headers: hasCopy && row?.upstreamLastModified ? { "if-modified-since": row.upstreamLastModified } : {},
      },
      now,
    );
    if (!fetched.ok) return fallback(fetched.message);
    if (fetched.status === 304 && row && hasCopy) return this.#unchanged(key, upstream, name, kind, row, now, fallback);
    if (fetched.status === 404 || fetched.status === 410) return this.#missing(key, upstream, name, kind, row, now);
    if (fetched.status !== 200) return fallback(`${upstream.name} answered HTTP ${fetched.status} for ${name}.`);
    return this.#store(key, upstream, name, kind, row, fetched.body, fetched.headers.get("last-modified"), now, fallback);
  }

  /** The upstream says the copy is current: serve it, checked now. */
  async #unchanged(key: string, upstream: Upstream, name: string, kind: DocumentKind, row: Row, now: number, fallback: (message: string) => Promise<MirrorLookup>): Promise<MirrorLookup> {
    this.#stats.synced(upstream.id, now);
    const updated = { ...row, checkedAt: now };
    await this.#db.orm.update(mirrorDocuments).set({ checkedAt: now }).where(this.#where(upstream.id, name, kind));
    this.#remember(key, updated, now);
    const served = await this.#serve(updated);
    if (!served) return fallback(`The copy of ${name} is gone from the blob store.`);
    this.#stats.hit(upstream.id);
    return served;
  }

  /** The upstream does not have the name (remembered: negative caching). */
  async #missing(key: string, upstream: Upstream, name: string, kind: DocumentKind, row: Row | null, now: number): Promise<MirrorLookup> {
    this.#stats.synced(upstream.id, now);
    this.#stats.miss(upstream.id);
    await this.#save(key, upstream.id, name, kind, row, { status: "missing", bodyKey: null, distsKey: null, size: 0, upstreamLastModified: null }, now);
    return { status: "missing" };
  }

  /**
   * Checks and stores a fetched p2 body. `marker` is what revalidates it next time: the
   * upstream's Last-Modified, or a Composer 1 upstream's file hash.
   */
  async #store(key: string, upstream: Upstream, name: string, kind: DocumentKind, row: Row | null, raw: Uint8Array, marker: string | null, now: number, fallback: (message: string) => Promise<MirrorLookup>): Promise<MirrorLookup> {
    const prepared = await prepareMirrorDocument(name, raw);
    if (prepared.kind === "invalid") return fallback(`${upstream.name} sent an unusable document for ${name}: ${prepared.message}.`);
    if (prepared.kind === "missing") return this.#missing(key, upstream, name, kind, row, now);
    this.#stats.synced(upstream.id, now);
    this.#stats.miss(upstream.id);
    const hash = await sha256Hex(prepared.body);
    const bodyKey = mirrorDocKey(upstream.id, name, `${kind}-${hash}`);
    const distsText = JSON.stringify(prepared.dists);
    const distsKey = Object.keys(prepared.dists).length ? mirrorDistsKey(upstream.id, name, await sha256Hex(distsText)) : null;
    // Blobs first, row last: a half-finished refresh is invisible.
    if (!(await this.#blobs.has(bodyKey))) await this.#blobs.put(bodyKey, prepared.body);
    if (distsKey && !(await this.#blobs.has(distsKey))) await this.#blobs.put(distsKey, distsText);
    this.#texts.set(bodyKey, prepared.body, prepared.body.length * 2);
    const saved = await this.#save(key, upstream.id, name, kind, row, {
      status: "found",
      bodyKey,
      distsKey,
      size: prepared.body.length,
      upstreamLastModified: marker,
    }, now);
    return (await this.#serve(saved)) ?? { status: "unavailable", message: `The copy of ${name} could not be stored.` };
  }

  #where(upstreamId: number, name: string, kind: DocumentKind) {
    return and(eq(mirrorDocuments.upstreamId, upstreamId), eq(mirrorDocuments.name, name), eq(mirrorDocuments.kind, kind));
  }

  /** Writes the row; the change clock moves only when the served bytes changed. */
  async #save(key: string, upstreamId: number, name: string, kind: DocumentKind, previous: Row | null, values: Pick<Row, "status" | "bodyKey" | "distsKey" | "size" | "upstreamLastModified">, now: number): Promise<Row> {
    const db = this.#db;
    const unchanged = previous !== null && previous.status === values.status && previous.bodyKey === values.bodyKey;
    const set = { ...values, checkedAt: now, ...(unchanged ? {} : { changedClock: CLOCK_NOW }) };
    const upsert = db.orm
      .insert(mirrorDocuments)
      .values({ upstreamId, name, kind, ...set })
      .onConflictDoUpdate({ target: [mirrorDocuments.upstreamId, mirrorDocuments.name, mirrorDocuments.kind], set });
    if (unchanged) await upsert;
    else await db.batch([tickClock(db, now), upsert]);
    const row = (await db.orm.select().from(mirrorDocuments).where(this.#where(upstreamId, name, kind)).get()) ?? null;
    if (!row) throw new Error(`mirror row for ${name} vanished`);
    this.#remember(key, row, now);
    return row;
  }
}

/** Records an archive stored from an upstream (the first download of it wins). */
export async function recordMirrorDist(db: Database, dist: typeof mirrorDists.$inferInsert): Promise<void> {
  await db.orm.insert(mirrorDists).values(dist).onConflictDoNothing();
}
