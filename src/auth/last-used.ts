// Token last-use times are collected in memory and written in one batch at most every
// `flushMs`, not on every request.
import { inArray, sql } from "drizzle-orm";
import { BatchedWriter, chunk } from "../db/batched-writer.ts";
import { tokens } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";

export class LastUsedTracker extends BatchedWriter<number, number> {
  touch(tokenId: number, now: number): void {
    this.pending.set(tokenId, now);
  }

  protected statements(db: Database, entries: [number, number][]): BatchStatement[] {
    const byTime = new Map<number, number[]>();
    for (const [tokenId, at] of entries) byTime.set(at, [...(byTime.get(at) ?? []), tokenId]);
    // One UPDATE per distinct timestamp, ids chunked under D1's 100-parameter limit.
    return [...byTime].flatMap(([at, ids]) =>
      chunk(ids, 90).map((part) =>
        db.orm.update(tokens).set({ lastUsedAt: sql`max(coalesce(${tokens.lastUsedAt}, 0), ${at})` }).where(inArray(tokens.id, part)),
      ),
    );
  }
}
