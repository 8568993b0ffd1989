// Verified tokens kept in memory, keyed by a SHA-256 of the token, so the request path pays no
// JWT verification and no DB read. Entries live `ttlMs` at most: that bounds how long a token
// revoked in another isolate or process keeps working. Revocations in this process evict at once.
import type { Principal } from "./principal.ts";

interface Entry {
  principal: Principal;
  validUntil: number;
}

export class TokenCache {
  readonly #entries = new Map<string, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;

  constructor(ttlMs: number, maxEntries = 10_000) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  get(tokenHash: string, now: number): Principal | undefined {
    const entry = this.#entries.get(tokenHash);
    if (!entry) return undefined;
    if (entry.validUntil <= now) {
      this.#entries.delete(tokenHash);
      return undefined;
    }
    return entry.principal;
  }

  set(tokenHash: string, principal: Principal, now: number, tokenExpiresAt: number | null): void {
    if (this.#entries.size >= this.#maxEntries) {
      // Maps iterate in insertion order: drop the oldest entry.
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) this.#entries.delete(oldest);
    }
    const validUntil = Math.min(now + this.#ttlMs, tokenExpiresAt ?? Number.POSITIVE_INFINITY);
    this.#entries.set(tokenHash, { principal, validUntil });
  }

  evictToken(jti: string): void {
    for (const [hash, entry] of this.#entries) if (entry.principal.tokenJti === jti) this.#entries.delete(hash);
  }

  evictUser(userId: number): void {
    for (const [hash, entry] of this.#entries) if (entry.principal.userId === userId) this.#entries.delete(hash);
  }

  clear(): void {
    this.#entries.clear();
  }
}
