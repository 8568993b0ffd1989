// notify-batch statistics: one count per (IP, package, version) per UTC day, buffered in memory
// and written as one batch of upserts at most every `flushMs`.
import { sql } from "drizzle-orm";
import { downloads } from "../db/schema.ts";
import type { Database } from "../ports.ts";

const MAX_SEEN = 100_000;

export class DownloadCounter {
  readonly #pending = new Map<string, { packageId: number; versionNormalized: string; day: string; count: number }>();
  readonly #seen = new Set<string>();
  readonly #flushMs: number;
  #lastFlush = 0;

  constructor(flushMs: number) {
    this.#flushMs = flushMs;
  }

  /** Returns false when this IP already counted this version today. */
  record(ip: string, packageId: number, versionNormalized: string, now: number): boolean {
    const day = new Date(now).toISOString().slice(0, 10);
    const seenKey = `${ip}\n${packageId}\n${versionNormalized}\n${day}`;
    if (this.#seen.has(seenKey)) return false;
    if (this.#seen.size >= MAX_SEEN) this.#seen.clear();
    this.#seen.add(seenKey);
    const key = `${packageId}\n${versionNormalized}\n${day}`;
    const entry = this.#pending.get(key) ?? { packageId, versionNormalized, day, count: 0 };
    entry.count++;
    this.#pending.set(key, entry);
    return true;
  }

  isDue(now: number): boolean {
    return this.#pending.size > 0 && now - this.#lastFlush >= this.#flushMs;
  }

  async flush(db: Database, now: number): Promise<void> {
    if (this.#pending.size === 0) return;
    this.#lastFlush = now;
    const entries = [...this.#pending.values()];
    this.#pending.clear();
    const statements = entries.map((entry) =>
      db.orm
        .insert(downloads)
        .values(entry)
        .onConflictDoUpdate({
          target: [downloads.packageId, downloads.versionNormalized, downloads.day],
          set: { count: sql`${downloads.count} + ${entry.count}` },
        }),
    );
    const [first, ...rest] = statements;
    if (first) await db.batch([first, ...rest]);
  }
}
