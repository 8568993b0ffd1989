// Verified tokens kept in memory, so the request path pays no JWT verification and no DB read.
// Entries live `ttlMs` at most: that bounds how long a token revoked in another isolate or
// process keeps working. Revocations in this process evict at once.
//
// Keyed by the token itself, not by a hash of it: WebCrypto's SHA-256 was a fifth of the CPU of
// a warm p2 request on Node (measured with --cpu-prof), and an exact-match key cannot collide.
// Expired entries are swept so a token stays in memory no longer than the TTL after its last use.
//
// Beside them, the tokens the full check refused (refused-tokens.ts), for the same TTL and dropped
// with the rest: a refused token that becomes valid (a restore, another process's write) is seen
// as soon as this cache is cleared, and within the TTL in any case.
import type { TokenKind } from "./jwt.ts";
import type { Principal } from "./principal.ts";
import { RefusedTokens, type Refusal } from "./refused-tokens.ts";

/** How many verified tokens, and how many refused ones, are remembered at most. */
export const MAX_REMEMBERED_TOKENS = 10_000;

interface Entry {
  principal: Principal;
  validUntil: number;
}

export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #refused: RefusedTokens;
  #lastSweep = 0;
  #hits = 0;
  #misses = 0;

  constructor(ttlMs: number, maxEntries = MAX_REMEMBERED_TOKENS) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
    this.#refused = new RefusedTokens(ttlMs, maxEntries);
  }

  /** A hit counts only for the kind asked for: a cached session never answers as an API token. */
  get(token: string, now: number, kind: TokenKind): Principal | undefined {
    const entry = this.#entries.get(token);
    if (!entry || entry.principal.tokenKind !== kind) {
      this.#misses++;
      return undefined;
    }
    if (entry.validUntil <= now) {
      this.#entries.delete(token);
      this.#misses++;
      return undefined;
    }
    this.#hits++;
    return entry.principal;
  }

  /** Lookups since start, for /metrics, and how many refused tokens are remembered. */
  stats(): { hits: number; misses: number; refused: number } {
    return { hits: this.#hits, misses: this.#misses, refused: this.#refused.size };
  }

  /** Why the full check refused `token` as `kind` within the TTL, if it did. */
  refusal(token: string, now: number, kind: TokenKind): Refusal | undefined {
    return this.#refused.get(token, kind, now);
  }

  /** Only for refusals that lie in the token itself: a change to its owner must not wait for the TTL. */
  refuse(token: string, now: number, kind: TokenKind, reason: Refusal): void {
    this.#refused.add(token, kind, reason, now);
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

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [token, entry] of this.#entries) if (entry.validUntil <= now) this.#entries.delete(token);
  }

  evictTokens(jtis: ReadonlySet<string>): void {
    if (jtis.size === 0) return;
    for (const [token, entry] of this.#entries) if (entry.principal.tokenJti !== undefined && jtis.has(entry.principal.tokenJti)) this.#entries.delete(token);
  }

  evictUser(userId: number): void {
    for (const [token, entry] of this.#entries) if (entry.principal.userId === userId) this.#entries.delete(token);
  }

  clear(): void {
    this.#entries.clear();
    this.#refused.clear();
  }
}
