// Tokens the full check refused for a reason that lies in the token itself (a signature we did not
// make, no such row, revoked, expired), remembered for the cache TTL: a client that keeps sending
// one then costs a Map lookup instead of an HMAC, or a SHA-256 and a DB read (9x a warm p2 on Bun).
//
// Keyed by a keyed 53-bit digest of the token, never the token: a refused token may still be a
// live secret somewhere (another server's token, a page session sent as Bearer). WebCrypto's
// SHA-256 would cost more than the refusal it saves (2 µs on Bun, 11 µs on Node), so the digest is
// a multiply-xorshift hash under a random key per process: the key is never known outside, so
// nobody can aim a collision at someone else's token, and by chance a valid token shares a slot
// with one of the at most `maxEntries` refused ones with odds of about 10^-12; it would then wait
// one TTL, like a token created in another process.
import type { TokenKind } from "./jwt.ts";

export type Refusal = "invalid" | "expired";

interface Entry {
  reason: Refusal;
  validUntil: number;
}

const KINDS: readonly TokenKind[] = ["api", "session"];

export class RefusedTokens {
  readonly #entries = new Map<number, Entry>();
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  // Per kind: a token refused as an API token says nothing about it as a page session.
  readonly #keys = new Map(KINDS.map((kind) => [kind, crypto.getRandomValues(new Uint32Array(2))]));
  #lastSweep = 0;

  constructor(ttlMs: number, maxEntries: number) {
    this.#ttlMs = ttlMs;
    this.#maxEntries = maxEntries;
  }

  /** Why `token` was refused within the TTL, if it was. */
  get(token: string, kind: TokenKind, now: number): Refusal | undefined {
    const key = this.#digest(token, kind);
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.validUntil > now) return entry.reason;
    this.#entries.delete(key);
    return undefined;
  }

  add(token: string, kind: TokenKind, reason: Refusal, now: number): void {
    if (now - this.#lastSweep >= this.#ttlMs) this.#sweep(now);
    const key = this.#digest(token, kind);
    // Maps iterate in insertion order: a flood of different tokens only pushes the oldest out.
    if (this.#entries.size >= this.#maxEntries && !this.#entries.has(key)) this.#entries.delete(this.#entries.keys().next().value!);
    this.#entries.set(key, { reason, validUntil: now + this.#ttlMs });
  }

  get size(): number {
    return this.#entries.size;
  }

  clear(): void {
    this.#entries.clear();
  }

  #sweep(now: number): void {
    this.#lastSweep = now;
    for (const [key, entry] of this.#entries) if (entry.validUntil <= now) this.#entries.delete(key);
  }

  /** Two 32-bit multiply-xorshift lanes under this process's key, folded into 53 bits (an exact JS number). */
  #digest(token: string, kind: TokenKind): number {
    const key = this.#keys.get(kind)!;
    let a = key[0]! ^ 0xdeadbeef;
    let b = key[1]! ^ 0x41c6ce57;
    for (let i = 0; i < token.length; i++) {
      const unit = token.charCodeAt(i);
      a = Math.imul(a ^ unit, 2654435761);
      b = Math.imul(b ^ unit, 1597334677);
    }
    a = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
    b = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(a ^ (a >>> 13), 3266489909);
    return 4294967296 * (b & 0x1fffff) + (a >>> 0);
  }
}
