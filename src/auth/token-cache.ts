// Verified tokens kept in memory, so the request path pays no JWT verification and no DB read.
// Entries live `ttlMs` at most: that bounds how long a token revoked in another isolate or
// process keeps working. Revocations in this process evict at once.
//
// Keyed by the token itself, not by a hash of it: WebCrypto's SHA-256 was a fifth of the CPU of
// a warm p2 request on Node (measured with --cpu-prof), and an exact-match key cannot collide.
// Expired entries are swept so a token stays in memory no longer than the TTL after its last use.
import type { Principal } from "./principal.ts";

interface Entry {
  principal: Principal;
  validUntil: number;
}

export type Rejection = "invalid" | "expired";

export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  /** Tokens refused within the TTL: a flood of one bad token costs a Map lookup, not an HMAC and a DB read each. */
  readonly #rejected = new Map<string, { reason: Rejection; until: number }>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  #lastSweep = 0;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(token: string, now: number): Principal | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    if (entry.validUntil <= now) {
      this.#entries.delete(token);
      return undefined;
    }
    return entry.principal;
  }

  set(token: string, principal: Principal, now: number, tokenExpiresAt: number | null): void {
    if (now - this.#lastSweep >= this.#ttlMs) this.#sweep(now);
    if (this.#entries.size >= this.#maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    const validUntil = Math.min(now + this.#ttlMs, tokenExpiresAt ?? Number.POSITIVE_INFINITY);
    this.#entries.set(token, { principal, validUntil });
  }

  rejection(token: string, now: number): Rejection | undefined {
    const entry = this.#rejected.get(token);
    if (!entry) return undefined;
    if (entry.until > now) return entry.reason;
    this.#rejected.delete(token);
    return undefined;
  }

  reject(token: string, reason: Rejection, now: number): void {
    // Bounded: a flood of distinct bad tokens only churns it.
    if (this.#rejected.size >= this.#maxEntries) this.#rejected.clear();
    this.#rejected.set(token, { reason, until: now + this.#ttlMs });
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [token, entry] of this.#entries) if (entry.validUntil <= now) this.#entries.delete(token);
  }

  evictToken(jti: string): void {
    for (const [token, entry] of this.#entries) if (entry.principal.tokenJti === jti) this.#entries.delete(token);
  }

  evictUser(userId: number): void {
    for (const [token, entry] of this.#entries) if (entry.principal.userId === userId) this.#entries.delete(token);
  }

  clear(): void {
    this.#entries.clear();
    this.#rejected.clear();
  }
}
