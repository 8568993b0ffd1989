// Token last-use times are collected in memory and written in one batch at most every
// `flushMs`, not on every request.
import { BatchedWriter } from "../db/batched-writer.ts";
import type { BatchStatement, Database } from "../ports.ts";
import { lastUsedStatements } from "./token-store.ts";

export class LastUsedTracker extends BatchedWriter<number, number> {
  touch(tokenId: number, now: number): void {
    this.pending.set(tokenId, now);
  }

  protected statements(db: Database, entries: [number, number][]): BatchStatement[] {
    const byTime = new Map<number, number[]>();
    for (const [tokenId, at] of entries) byTime.set(at, [...(byTime.get(at) ?? []), tokenId]);
    return lastUsedStatements(db, byTime);
  }
}
