// composer.json of many commits, read from the driver in one call and only for commits the scan
// cache does not know yet, each distinct blob decoded once, with the commit dates Composer adds
// when composer.json has no `time`.
import { createHash } from "node:crypto";
import type { RepositoryDriver } from "../drivers/driver.ts";
import { formatRfc3339Utc } from "../../../src/composer-rules/php-date.ts";
import { needsCommitTime, readComposerInfo, type ComposerInfo } from "./composer-info.ts";
import type { ComposerBlob } from "./load-version.ts";
import type { CommitFile, ScanCache } from "./scan-cache.ts";

export interface BlobAtCommit extends ComposerBlob {
  /** The commit's date (DATE_RFC3339) when composer.json has no `time` (Composer's fallback). */
  time?: string;
}

export class ComposerReader {
  private readonly driver: RepositoryDriver;
  private readonly cache: ScanCache;
  private readonly file: string;
  private readFromDriver = 0;

  /** `file`: composer.json, or a mono-repository package's `<dir>/composer.json`. */
  constructor(driver: RepositoryDriver, cache: ScanCache, file = "composer.json") {
    this.driver = driver;
    this.cache = cache;
    this.file = file;
  }

  /** Commits whose composer.json this scan read from the repository (the rest came from the cache). */
  get size(): number {
    return this.readFromDriver;
  }

  async load(commits: readonly string[]): Promise<void> {
    const missing = [...new Set(commits)].filter((commit) => !this.cache.commits.has(commit));
    if (missing.length === 0) return;
    this.readFromDriver += missing.length;
    for (const [commit, file] of await this.driver.readFile(missing, this.file)) {
      let record: CommitFile;
      if (file.kind === "file") {
        const id = file.id ?? `sha256:${createHash("sha256").update(file.content).digest("hex")}`;
        if (!this.cache.blobs.has(id)) this.cache.setBlob(id, readComposerInfo(file));
        record = { kind: "file", id };
      } else record = file;
      this.cache.setCommit(commit, { file: record });
    }
  }

  /** Dates of every known commit whose composer.json has no `time` (one driver call). */
  async loadDates(commits: readonly string[]): Promise<void> {
    const needed = [...new Set(commits)].filter((commit) => {
      const record = this.cache.commits.get(commit);
      const info = this.parsed(commit);
      return record && record.time === undefined && info.kind === "data" && needsCommitTime(info.data);
    });
    if (needed.length === 0) return;
    const times = this.driver.commitTimes
      ? await this.driver.commitTimes(needed)
      : new Map([...(await this.driver.commitDates(needed))].map(([commit, date]) => [commit, formatRfc3339Utc(date)]));
    for (const commit of needed) {
      const record = this.cache.commits.get(commit);
      const time = times.get(commit);
      if (record && time !== undefined) this.cache.setCommit(commit, { ...record, time });
    }
  }

  async info(commit: string): Promise<ComposerInfo> {
    if (!this.cache.commits.has(commit)) await this.load([commit]);
    return this.parsed(commit);
  }

  /** The composer.json Composer loads for a commit (with the commit date it may need), or why there is none. */
  async blob(commit: string): Promise<BlobAtCommit | string> {
    const info = await this.info(commit);
    if (info.kind !== "data") return info.reason;
    const record = this.cache.commits.get(commit);
    const id = record?.file.kind === "file" ? record.file.id : "";
    if (!needsCommitTime(info.data)) return { id, data: info.data };
    if (record?.time === undefined) await this.loadDates([commit]);
    const time = this.cache.commits.get(commit)?.time;
    if (time === undefined) return "the commit has no date";
    return { id, data: info.data, time };
  }

  private parsed(commit: string): ComposerInfo {
    const file = this.cache.commits.get(commit)?.file;
    if (file?.kind !== "file") return readComposerInfo(file);
    return this.cache.blobs.get(file.id) ?? { kind: "error", reason: "composer.json vanished from the scan cache" };
  }
}
