// The shape shared by the statistics that are counted in memory and written later in one
// batch (token last-use, downloads, upstream counters): the request path never waits on a
// statistics write. `isDue` says when a flush is worth scheduling; `flush` writes what is
// pending and forgets it.
import type { BatchStatement, Database } from "../ports.ts";

export abstract class BatchedWriter<Key, Entry> {
  protected readonly pending = new Map<Key, Entry>();
  readonly #flushMs: number;
  #lastFlush = 0;

  constructor(flushMs: number) {
    this.#flushMs = flushMs;
  }

  isDue(now: number): boolean {
    return this.pending.size > 0 && now - this.#lastFlush >= this.#flushMs;
  }

  async flush(db: Database, now: number): Promise<void> {
    if (this.pending.size === 0) return;
    this.#lastFlush = now;
    const entries = [...this.pending];
    this.pending.clear();
    const [first, ...rest] = this.statements(db, entries);
    if (first) await db.batch([first, ...rest]);
  }

  /** The statements that write these entries (chunked under D1's per-statement limits). */
  protected abstract statements(db: Database, entries: [Key, Entry][]): BatchStatement[];
}

export function chunk<T>(items: readonly T[], size: number): T[][] {
  const parts: T[][] = [];
  for (let i = 0; i < items.length; i += size) parts.push(items.slice(i, i + size));
  return parts;
}
