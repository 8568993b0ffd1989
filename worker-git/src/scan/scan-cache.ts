// What a scan remembers about a repository, in memory and (when the driver has a place for it,
// next to the mirror) on disk between scans: composer.json by commit (what Composer keeps in its
// repo cache), each distinct blob decoded once, and each blob's validation once per variant. A
// commit never changes, nor does a blob; a validation is keyed by everything it depends on, and
// the whole file by a fingerprint of the rules' source, so a changed rule never reuses a result.
// Only what the current refs lead to is written back: the file stays the size of the repository.
import { createHash } from "node:crypto";
import { readdirSync, readFileSync } from "node:fs";
import { readFile, rename, rm, writeFile } from "node:fs/promises";
import { fileURLToPath } from "node:url";
import type { ComposerInfo } from "./composer-info.ts";
import type { ValidatedBlob } from "./load-version.ts";

/** composer.json at a commit, by blob id (the content lives in `blobs`). */
export type CommitFile = { kind: "file"; id: string } | { kind: "missing" } | { kind: "unreadable"; reason: string };

export interface CommitRecord {
  file: CommitFile;
  /** The commit's date as Composer writes it into `time` (DATE_RFC3339), once read (only when composer.json has none). */
  time?: string;
}

interface CacheFile {
  fingerprint: string;
  commits: Array<[string, CommitRecord]>;
  blobs: Array<[string, ComposerInfo]>;
  validated: Array<[string, ValidatedBlob]>;
}

// The code a cached result depends on: the composer rules and this scanner.
const RULE_DIRS = [new URL("../../../src/composer-rules/", import.meta.url), new URL("./", import.meta.url)];
let fingerprintMemo: string | undefined;

function rulesFingerprint(): string {
  if (fingerprintMemo) return fingerprintMemo;
  const hash = createHash("sha256");
  for (const dir of RULE_DIRS) {
    const path = fileURLToPath(dir);
    for (const name of readdirSync(path).filter((file) => file.endsWith(".ts") && !file.endsWith(".test.ts")).sort()) {
      hash.update(name).update(readFileSync(path + name));
    }
  }
  fingerprintMemo = hash.digest("hex").slice(0, 32);
  return fingerprintMemo;
}

export class ScanCache {
  readonly commits = new Map<string, CommitRecord>();
  readonly blobs = new Map<string, ComposerInfo>();
  readonly validated = new Map<string, ValidatedBlob>();
  private file: string | null = null;
  private changed = false;

  /** The cache stored at `file` (an unreadable or outdated file is simply ignored), or an in-memory one. */
  static async open(file: string | null | undefined): Promise<ScanCache> {
    const cache = new ScanCache();
    await cache.attach(file);
    return cache;
  }

  /** Adds what `file` holds (entries already here win) and saves there from now on. */
  async attach(file: string | null | undefined): Promise<void> {
    if (!file || this.file) return;
    this.file = file;
    try {
      const stored = JSON.parse(await readFile(file, "utf8")) as CacheFile;
      if (stored.fingerprint !== rulesFingerprint()) return;
      const merge = <T>(map: Map<string, T>, entries: Array<[string, T]>) => {
        for (const [key, value] of entries) if (!map.has(key)) map.set(key, value);
      };
      merge(this.commits, stored.commits);
      merge(this.blobs, stored.blobs);
      merge(this.validated, stored.validated);
    } catch {
      // No cache yet, or one we cannot read: start empty.
    }
  }

  setCommit(commit: string, record: CommitRecord): void {
    this.commits.set(commit, record);
    this.changed = true;
  }

  setBlob(id: string, info: ComposerInfo): void {
    this.blobs.set(id, info);
    this.changed = true;
  }

  /** The validation stored under `blobId` + `variant`, else `validate()`'s result, stored. */
  validation(blobId: string, variant: string, validate: () => ValidatedBlob): ValidatedBlob {
    const key = `${blobId}\n${variant}`;
    let result = this.validated.get(key);
    if (!result) {
      result = validate();
      this.validated.set(key, result);
      this.changed = true;
    }
    return result;
  }

  /**
   * Writes (atomically: a temp file renamed) what the `live` commits, the repository's current
   * refs, lead to, when this scan added anything or refs went away.
   */
  async save(live: Iterable<string>): Promise<void> {
    if (!this.file) return;
    const commits = new Map<string, CommitRecord>();
    for (const commit of live) {
      const record = this.commits.get(commit);
      if (record) commits.set(commit, record);
    }
    if (!this.changed && commits.size === this.commits.size) return;
    const blobIds = new Set([...commits.values()].flatMap((record) => (record.file.kind === "file" ? [record.file.id] : [])));
    const content: CacheFile = {
      fingerprint: rulesFingerprint(),
      commits: [...commits],
      blobs: [...this.blobs].filter(([id]) => blobIds.has(id)),
      validated: [...this.validated].filter(([key]) => blobIds.has(key.slice(0, key.indexOf("\n")))),
    };
    const temp = `${this.file}.${process.pid}.${Date.now()}.tmp`;
    try {
      await writeFile(temp, JSON.stringify(content), { mode: 0o600 });
      await rename(temp, this.file);
    } catch {
      // A cache is an optimisation: a full disk or a vanished directory only costs the next scan time.
      await rm(temp, { force: true }).catch(() => undefined);
    }
  }
}
