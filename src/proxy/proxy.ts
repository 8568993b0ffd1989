// Which upstream answers for a name, for a principal: never for a private name (the caller
// checks the catalog first: private always wins), only for principals with proxy access, in
// priority order, and through a strict upstream only when the name is approved.
import type { Principal } from "../auth/principal.ts";
import { TtlCache, WeightedLru } from "../cache/lru.ts";
import { eq } from "drizzle-orm";
import { meta, mirrorDocuments } from "../db/schema.ts";
import type { Database } from "../ports.ts";
import type { DocumentKind, RenderedBody } from "../composer/metadata-store.ts";
import type { MirrorDist } from "./mirror-document.ts";
import type { MirrorLookup, MirrorStore } from "./mirror-store.ts";
import { isApproved, mayUseProxy, type ProxySettings, type Upstream, type UpstreamRegistry } from "./upstream-registry.ts";

export type Found = Extract<MirrorLookup, { status: "found" }>;

export type ProxyAnswer =
  | { status: "found"; upstream: Upstream; document: Found }
  | { status: "not-found"; message?: string }
  | { status: "unavailable"; message: string };

export interface RootListing {
  /** A non-strict upstream is on: Composer must be allowed to ask for any name. */
  open: boolean;
  names: string[];
  patterns: string[];
}

/** Bounds the memory and time of listing mirrored names. */
const MAX_LISTED_NAMES = 100_000;

export class Proxy {
  readonly registry: UpstreamRegistry;
  readonly store: MirrorStore;
  /** Served p2 bodies with the public base filled in, per (document, base, warning). */
  readonly rendered = new WeightedLru<RenderedBody>(48 * 1024 * 1024);

  readonly #db: Database;
  readonly #catalogClock: TtlCache<Promise<number>>;
  /** Names each upstream has a found copy of, read at most once per cache TTL. */
  readonly #mirrored: TtlCache<Promise<Map<number, string[]>>>;

  constructor(registry: UpstreamRegistry, store: MirrorStore, db: Database, ttlMs: number) {
    this.registry = registry;
    this.store = store;
    this.#db = db;
    this.#catalogClock = new TtlCache(ttlMs, 1);
    this.#mirrored = new TtlCache(ttlMs, 1);
  }

  /** Forgets upstream settings, mirror rows and the catalog clock (after an admin change here). */
  invalidate(): void {
    this.registry.invalidate();
    this.store.forget();
    this.#catalogClock.clear();
    this.#mirrored.clear();
  }

  /**
   * Upstream names to list (list.json, search.json) for this principal: only what is known
   * here, never a request to an upstream: names with a mirrored copy (through a strict
   * upstream only while approved) and the exact names approved on strict upstreams. Private
   * names are left out (private always wins: the caller lists them itself, first).
   */
  async knownNames(principal: Principal, isPrivate: (name: string) => boolean, now: number): Promise<string[]> {
    const settings = await this.registry.settings(now);
    if (!mayUseProxy(principal, settings)) return [];
    const mirrored = await this.#mirroredNames(now);
    const names = new Set<string>();
    for (const upstream of settings.upstreams) {
      for (const name of mirrored.get(upstream.id) ?? []) if (isApproved(upstream, name)) names.add(name);
      if (upstream.strict) for (const pattern of upstream.approvals) if (!pattern.endsWith("/*")) names.add(pattern);
    }
    return [...names].filter((name) => !isPrivate(name)).sort();
  }

  #mirroredNames(now: number): Promise<Map<number, string[]>> {
    let names = this.#mirrored.get("all", now);
    if (!names) {
      names = this.#db.orm
        .selectDistinct({ upstreamId: mirrorDocuments.upstreamId, name: mirrorDocuments.name })
        .from(mirrorDocuments)
        .where(eq(mirrorDocuments.status, "found"))
        .limit(MAX_LISTED_NAMES)
        .all()
        .then((rows) => {
          const byUpstream = new Map<number, string[]>();
          for (const row of rows) {
            const list = byUpstream.get(row.upstreamId);
            if (list) list.push(row.name);
            else byUpstream.set(row.upstreamId, [row.name]);
          }
          return byUpstream;
        });
      names.catch(() => this.#mirrored.clear());
      this.#mirrored.set("all", names, now);
    }
    return names;
  }

  /**
   * The catalog clock (moves when a package is created or deleted, or upstreams change), read
   * alone and remembered for the cache TTL: part of a proxied document's Last-Modified.
   */
  catalogClock(now: number): Promise<number> {
    let clock = this.#catalogClock.get("clock", now);
    if (!clock) {
      clock = this.#db.orm.select().from(meta).where(eq(meta.key, "catalog_clock")).get().then((row) => Number(row?.value ?? 0));
      clock.catch(() => this.#catalogClock.clear());
      this.#catalogClock.set("clock", clock, now);
    }
    return clock;
  }

  async find(principal: Principal, name: string, kind: DocumentKind, now: number, count = true): Promise<ProxyAnswer> {
    const settings = await this.registry.settings(now);
    if (!mayUseProxy(principal, settings)) return { status: "not-found" };
    const refusedBy: string[] = [];
    for (const upstream of settings.upstreams) {
      if (!isApproved(upstream, name)) {
        refusedBy.push(upstream.name);
        continue;
      }
      const lookup = await this.store.lookup(upstream, name, kind, now, count);
      if (lookup.status === "found") return { status: "found", upstream, document: lookup };
      // A higher-priority upstream that cannot answer must not hand the name to a lower one.
      if (lookup.status === "unavailable") return { status: "unavailable", message: lookup.message };
    }
    if (refusedBy.length) {
      return {
        status: "not-found",
        message: `Package "${name}" needs approval before it can be installed from ${refusedBy.join(", ")}: ask an administrator of this repository to approve it (or its vendor/*).`,
      };
    }
    return { status: "not-found" };
  }

  /** The upstream and original dist for a mirrored archive the principal may download. */
  async findDist(principal: Principal, name: string, reference: string, now: number): Promise<{ upstream: Upstream; dist: MirrorDist } | ProxyAnswer> {
    let last: Exclude<ProxyAnswer, { status: "found" }> = { status: "not-found" };
    for (const kind of ["tags", "dev"] as const) {
      const answer = await this.find(principal, name, kind, now, false);
      if (answer.status !== "found") {
        last = answer;
        continue;
      }
      const dist = await this.store.dist(answer.document, reference);
      if (dist) return { upstream: answer.upstream, dist };
    }
    return last;
  }

  /** What packages.json should list for this principal, or null when the proxy is off for them. */
  async listing(principal: Principal, now: number): Promise<RootListing | null> {
    const settings: ProxySettings = await this.registry.settings(now);
    if (!mayUseProxy(principal, settings)) return null;
    if (settings.upstreams.some((upstream) => !upstream.strict)) return { open: true, names: [], patterns: [] };
    const approvals = settings.upstreams.flatMap((upstream) => upstream.approvals);
    return {
      open: false,
      names: approvals.filter((pattern) => !pattern.endsWith("/*")),
      patterns: approvals.filter((pattern) => pattern.endsWith("/*")),
    };
  }
}
