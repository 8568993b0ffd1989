// The configured upstreams with their approvals, decrypted credentials and the proxy access
// policy, read once and remembered for the cache TTL: the Composer path reads no row for them
// when warm. Writes in this process call invalidate(); other isolates see them within the TTL.
import { grantMatches } from "../acl/visibility.ts";
import type { Principal } from "../auth/principal.ts";
import { TtlCache } from "../cache/lru.ts";
import { SecretBox, type EncryptionKeys } from "../credentials/secret-box.ts";
import { toBase64, utf8 } from "../crypto/encoding.ts";
import type { Database } from "../ports.ts";
import { upstreamSettingsRows, type ProxyPolicy } from "./proxy-store.ts";

type UpstreamRow = Awaited<ReturnType<typeof upstreamSettingsRows>>["rows"][number];

export interface Upstream {
  id: number;
  name: string;
  /** Base URL, no trailing slash. */
  url: string;
  priority: number;
  cacheDists: boolean;
  strict: boolean;
  /** The Authorization header for this upstream's own host, if it has credentials. */
  authorization: string | null;
  approvals: string[];
}

/** "everyone": every user may use the proxy; "groups": only members of listed groups (and staff). */

export interface ProxySettings {
  upstreams: Upstream[];
  policy: ProxyPolicy;
  accessGroups: Set<number>;
}


export class UpstreamRegistry {
  readonly #db: Database;
  readonly #box: SecretBox;
  readonly #cache: TtlCache<Promise<ProxySettings>>;

  constructor(db: Database, keys: EncryptionKeys, ttlMs: number) {
    this.#db = db;
    this.#box = new SecretBox(keys);
    this.#cache = new TtlCache(ttlMs, 1);
  }

  settings(now: number): Promise<ProxySettings> {
    const cached = this.#cache.get("all", now);
    if (cached) return cached;
    const loading = this.#load();
    loading.catch(() => this.#cache.delete("all"));
    this.#cache.set("all", loading, now);
    return loading;
  }

  invalidate(): void {
    this.#cache.clear();
  }

  async #load(): Promise<ProxySettings> {
    const { rows, approvals, policy, groupIds } = await upstreamSettingsRows(this.#db);
    const list = await Promise.all(
      rows.map(async (row) => ({
        id: row.id,
        name: row.name,
        url: row.url,
        priority: row.priority,
        cacheDists: row.cacheDists,
        strict: row.strict,
        authorization: await this.#authorization(row),
        approvals: approvals.filter((approval) => approval.upstreamId === row.id).map((approval) => approval.pattern),
      })),
    );
    return { upstreams: list, policy: policy === "groups" ? "groups" : "everyone", accessGroups: new Set(groupIds) };
  }

  async #authorization(row: UpstreamRow): Promise<string | null> {
    if (row.bearerEnc) return `Bearer ${await this.#box.open(row.bearerEnc)}`;
    if (row.username && row.passwordEnc) {
      return `Basic ${toBase64(utf8(`${row.username}:${await this.#box.open(row.passwordEnc)}`))}`;
    }
    return null;
  }
}

/** Whether this principal may receive packages from upstreams at all. */
export function mayUseProxy(principal: Principal, settings: ProxySettings): boolean {
  // Sub-repositories serve their private packages only: no upstream inside one.
  if (settings.upstreams.length === 0 || principal.subrepository !== undefined) return false;
  // Staff (admins, maintainers) always may: they add the dependencies.
  if (settings.policy === "everyone" || principal.roles.includes("ROLE_ADMIN") || principal.roles.includes("ROLE_MAINTAINER")) return true;
  return principal.groupIds.some((id) => settings.accessGroups.has(id));
}

/** Whether a strict upstream lets this name through (always true for a non-strict one). */
export function isApproved(upstream: Upstream, name: string): boolean {
  return !upstream.strict || upstream.approvals.some((pattern) => grantMatches(pattern, name));
}
