// Per-upstream counters (hits, misses, requests sent) and the last sync or error, buffered in
// memory and written as one batch at most every `flushMs`: the Composer path never waits on a
// statistics write.
import { BatchedWriter } from "../db/batched-writer.ts";
import type { BatchStatement, Database } from "../ports.ts";
import { upstreamCounterStatement } from "./proxy-store.ts";

interface Pending {
  hits: number;
  misses: number;
  requests: number;
  lastSyncAt: number | null;
  lastError: { message: string; at: number } | null;
  cleared: boolean;
}

export class ProxyStats extends BatchedWriter<number, Pending> {
  #entry(upstreamId: number): Pending {
    let entry = this.pending.get(upstreamId);
    if (!entry) {
      entry = { hits: 0, misses: 0, requests: 0, lastSyncAt: null, lastError: null, cleared: false };
      this.pending.set(upstreamId, entry);
    }
    return entry;
  }

  hit(upstreamId: number): void {
    this.#entry(upstreamId).hits++;
  }

  miss(upstreamId: number): void {
    this.#entry(upstreamId).misses++;
  }

  request(upstreamId: number): void {
    this.#entry(upstreamId).requests++;
  }

  synced(upstreamId: number, now: number): void {
    const entry = this.#entry(upstreamId);
    entry.lastSyncAt = now;
    entry.cleared = true;
  }

  failed(upstreamId: number, message: string, now: number): void {
    this.#entry(upstreamId).lastError = { message: message.slice(0, 500), at: now };
  }

  protected statements(db: Database, entries: [number, Pending][]): BatchStatement[] {
    return entries.map(([id, entry]) => upstreamCounterStatement(db, id, entry));
  }
}
