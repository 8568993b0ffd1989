// Which upstream answers for a name, for a principal: never for a private name (the caller
// checks the catalog first: private always wins), only for principals with proxy access, in
// priority order, and through a strict upstream only when the name is approved.
import type { Principal } from "../auth/principal.ts";
import { TtlCache, WeightedLru } from "../cache/lru.ts";
import { catalogClock } from "../packages/package-store.ts";
import type { Database } from "../ports.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";
import { withPublicBase } from "../composer/public-base.ts";
import type { MirrorDist } from "./mirror-document.ts";
import { mayWithhold, mirrorRulesKey, withholdMirrored, type MirrorRules } from "./mirror-withholding.ts";
import { allUpstreamFlags, type UpstreamVersionFlag } from "../policies/upstream-flag-store.ts";
import type { WithheldVersion } from "../policies/withholding.ts";
import { mirroredNames } from "./proxy-store.ts";
import type { MirrorLookup, MirrorStore } from "./mirror-store.ts";
import { isApproved, mayUseProxy, type ProxySettings, type Upstream, type UpstreamRegistry } from "./upstream-registry.ts";

export type Found = Extract<MirrorLookup, { status: "found" }>;

export type ProxyAnswer =
  | { status: "found"; upstream: Upstream; document: Found }
  | { status: "not-found"; message?: string }
  | { status: "unavailable"; message: string };

/** A document as served under the flags and the plugin allowlist. */
interface Withheld {
  text: string;
  withheld: readonly WithheldVersion[];
}

export interface RootListing {
  /** A non-strict upstream is on: Composer must be allowed to ask for any name. */
  open: boolean;
  names: string[];
  patterns: string[];
}

const encoder = new TextEncoder();

/** Bounds the memory and time of listing mirrored names. */
const MAX_LISTED_NAMES = 100_000;

export class UpstreamProxy {
  readonly registry: UpstreamRegistry;
  readonly store: MirrorStore;
  /** Served p2 bodies with the public base filled in, per (document, base, warning). */
  readonly #rendered = new WeightedLru<Uint8Array<ArrayBuffer>>(48 * 1024 * 1024);
  readonly #db: Database;
  readonly #catalogClock: TtlCache<Promise<number>>;
  /** Names each upstream has a found copy of, read at most once per cache TTL. */
  readonly #mirrored: TtlCache<Promise<Map<number, string[]>>>;
  /** Flags on upstream versions, by name, read at most once per cache TTL. */
  readonly #flags: TtlCache<Promise<Map<string, UpstreamVersionFlag[]>>>;
  readonly #withheld = new WeightedLru<Withheld>(16 * 1024 * 1024);

  constructor(registry: UpstreamRegistry, store: MirrorStore, db: Database, ttlMs: number) {
    this.registry = registry;
    this.store = store;
    this.#db = db;
    this.#catalogClock = new TtlCache(ttlMs, 1);
    this.#mirrored = new TtlCache(ttlMs, 1);
    this.#flags = new TtlCache(ttlMs, 1);
  }

  /** The flags on this name's upstream versions. */
  async flagsOf(name: string, now: number): Promise<UpstreamVersionFlag[]> {
    let flags = this.#flags.get("all", now);
    if (!flags) {
      flags = allUpstreamFlags(this.#db).then((rows) => {
        const byName = new Map<string, UpstreamVersionFlag[]>();
        for (const row of rows) byName.set(row.packageName, [...(byName.get(row.packageName) ?? []), row]);
        return byName;
      });
      flags.catch(() => this.#flags.clear());
      this.#flags.set("all", flags, now);
    }
    return (await flags).get(name) ?? [];
  }

  /** After a flag on an upstream version is added or lifted here. */
  forgetFlags(): void {
    this.#flags.clear();
  }

  /** A found document as these rules serve it (the same text when they cannot change it). */
  #applied(name: string, kind: DocumentKind, document: Found, rules: MirrorRules): Withheld {
    if (!mayWithhold(document.text, rules)) return { text: document.text, withheld: [] };
    const key = `${document.bodyKey}\n${kind}\n${mirrorRulesKey(rules)}`;
    let applied = this.#withheld.get(key);
    if (!applied) {
      applied = withholdMirrored(name, kind, document.text, rules);
      this.#withheld.set(key, applied, applied.text.length * 2 + 256);
    }
    return applied;
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
      names = mirroredNames(this.#db, MAX_LISTED_NAMES);
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
      clock = catalogClock(this.#db);
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

  /** The p2 body of a found document under these rules, with dist URLs under `base` and its warning (encoded once). */
  body(name: string, kind: DocumentKind, document: Found, rules: MirrorRules, base: string): Uint8Array<ArrayBuffer> {
    const renderedKey = `${document.bodyKey}\n${kind}\n${mirrorRulesKey(rules)}\n${base}\n${document.warning ?? ""}`;
    let body = this.#rendered.get(renderedKey);
    if (!body) {
      let text = withPublicBase(this.#applied(name, kind, document, rules).text, base);
      // Composer prints a top-level `warning` of any JSON document it reads.
      if (document.warning) text = `{"warning":${JSON.stringify(document.warning)},${text.slice(1)}`;
      body = encoder.encode(text) as Uint8Array<ArrayBuffer>;
      this.#rendered.set(renderedKey, body, body.length);
    }
    return body;
  }

  /** The upstream and original dist for a mirrored archive the principal may download, or the withheld version it belongs to. */
  async findDist(principal: Principal, name: string, reference: string, rules: MirrorRules, now: number): Promise<{ upstream: Upstream; dist: MirrorDist } | { withheld: WithheldVersion } | ProxyAnswer> {
    let last: Exclude<ProxyAnswer, { status: "found" }> = { status: "not-found" };
    for (const kind of ["tags", "dev"] as const) {
      const answer = await this.find(principal, name, kind, now, false);
      if (answer.status !== "found") {
        last = answer;
        continue;
      }
      const withheld = this.#applied(name, kind, answer.document, rules).withheld.find((version) => version.reference === reference);
      if (withheld) return { withheld };
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
