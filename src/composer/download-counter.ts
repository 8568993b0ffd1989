// notify-batch statistics: one count per (IP, package, version) per UTC day, buffered in memory
// and written as one batch of upserts at most every `flushMs`.
import { BatchedWriter } from "../db/batched-writer.ts";
import { addDownloadsStatements } from "../packages/download-stats-store.ts";
import type { BatchStatement, Database } from "../ports.ts";

const MAX_SEEN = 100_000;

interface DayCount {
  packageId: number;
  versionNormalized: string;
  day: string;
  count: number;
}

export class DownloadCounter extends BatchedWriter<string, DayCount> {
  readonly #seen = new Set<string>();

  /** Returns false when this IP already counted this version today. */
  record(ip: string, packageId: number, versionNormalized: string, now: number): boolean {
    const day = new Date(now).toISOString().slice(0, 10);
    const seenKey = `${ip}\n${packageId}\n${versionNormalized}\n${day}`;
    if (this.#seen.has(seenKey)) return false;
    if (this.#seen.size >= MAX_SEEN) this.#seen.clear();
    this.#seen.add(seenKey);
    const key = `${packageId}\n${versionNormalized}\n${day}`;
    const entry = this.pending.get(key) ?? { packageId, versionNormalized, day, count: 0 };
    entry.count++;
    this.pending.set(key, entry);
    return true;
  }

  protected statements(db: Database, entries: [string, DayCount][]): BatchStatement[] {
    return addDownloadsStatements(db, entries.map(([, entry]) => entry));
  }
}
