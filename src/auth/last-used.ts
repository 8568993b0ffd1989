// Token last-use times are collected in memory and written in one batch at most every
// `flushMs`, not on every request.
import { inArray, sql } from "drizzle-orm";
import { tokens } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export class LastUsedTracker {
  readonly #pending = new Map<number, number>();
  readonly #flushMs: number;
  #lastFlush = 0;

  constructor(flushMs: number) {
    this.#flushMs = flushMs;
  }

  touch(tokenId: number, now: number): void {
    this.#pending.set(tokenId, now);
  }

  isDue(now: number): boolean {
    return this.#pending.size > 0 && now - this.#lastFlush >= this.#flushMs;
  }

  async flush(db: Database, now: number): Promise<void> {
    if (this.#pending.size === 0) return;
    this.#lastFlush = now;
    const byTime = new Map<number, number[]>();
    for (const [tokenId, at] of this.#pending) byTime.set(at, [...(byTime.get(at) ?? []), tokenId]);
    this.#pending.clear();
    // One UPDATE per distinct timestamp, ids chunked under D1's 100-parameter limit.
    const statements = [...byTime].flatMap(([at, ids]) =>
      chunk(ids, 90).map((part) =>
        db.orm.update(tokens).set({ lastUsedAt: sql`max(coalesce(${tokens.lastUsedAt}, 0), ${at})` }).where(inArray(tokens.id, part)),
      ),
    );
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  }
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
