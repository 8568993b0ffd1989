// RepositoryDriver over Mercurial, as Composer's HgDriver reads it (composer/composer
// src/Composer/Repository/Vcs/HgDriver.php): a local repository in place, a remote one cloned
// (`hg clone --noupdate`) into the cache and pulled afterwards; tags from `hg tags` without `tip`,
// branches from `hg branches` and `hg bookmarks` (a branch wins over a bookmark of the same name),
// parsed with Composer's patterns, so identifiers are the short changeset ids hg prints; the root
// identifier is `hg tip`'s changeset (so, as in Composer, no branch is the default branch);
// composer.json from `hg cat`, dates from `{date|rfc3339date}` with their own offset. Zipballs are
// built from `hg archive -t files` (without .hg_archival.txt). http-basic credentials go through a
// private hgrc's [auth] section, never the command line.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, stat, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RepositoryError, type FileAtCommit, type GitRef, type RepositoryDriver } from "./driver.ts";
import { zipDirectory } from "./export-zip.ts";
import { execGit, redact } from "./git-exec.ts";
import { defaultCacheDir, isLocalRepositoryUrl } from "./git-mirror.ts";
import { fileFromBytes, mapLimit } from "./provider-http.ts";

export interface HgDriverOptions {
  url: string;
  cacheDir?: string;
  /** http-basic credentials, handed to hg through a private hgrc's [auth] section (never argv). */
  username?: string;
  password?: string;
  timeoutMs?: number;
  fetchTimeoutMs?: number;
}

const CONCURRENCY = 4;
const MAX_FILE_BYTES = 1024 * 1024;
// No user or system hgrc, no aliases or localized output: what Composer parses is hg's plain output.
const HG_ENV = { ...process.env, HGPLAIN: "1", HGRCPATH: "", HGENCODING: "utf-8", LC_ALL: "C" };
// ssh:// must never wait for a password on a terminal.
const NO_PROMPTS = ["--config", "ui.interactive=false", "--config", "ui.ssh=ssh -o BatchMode=yes"];

export class HgDriver implements RepositoryDriver {
  readonly source: { type: "hg"; url: string };
  readonly scanCachePath?: string;
  private readonly repoDir: string;
  private readonly local: boolean;
  private readonly timeoutMs: number;
  private readonly fetchTimeoutMs: number;
  private readonly options: HgDriverOptions;
  private env: NodeJS.ProcessEnv = HG_ENV;
  private authDir: string | null = null;
  private refs: { tags: GitRef[]; branches: GitRef[]; tip: string | null } | null = null;

  constructor(options: HgDriverOptions) {
    this.options = options;
    this.source = { type: "hg", url: options.url };
    this.local = isLocalRepositoryUrl(options.url);
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    this.repoDir = this.local
      ? path.resolve(options.url.replace(/^file:\/\//i, ""))
      : path.join(cacheDir, `${createHash("sha256").update(options.url).digest("hex").slice(0, 40)}.hg`);
    if (!this.local) this.scanCachePath = `${this.repoDir}.scan-cache.json`;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 120_000;
  }

  async open(signal?: AbortSignal): Promise<void> {
    await this.close();
    if (this.options.username && !this.local) await this.writeAuth(this.options.username, this.options.password ?? "");
    if (!this.local) await this.sync(signal);
    const [tags, branches, bookmarks, tip] = await Promise.all([
      this.lines(["tags"]),
      this.lines(["branches"]),
      this.lines(["bookmarks"]),
      this.lines(["tip", "--template", "{node}"]),
    ]);
    const tagRefs = new Map<string, string>();
    for (const line of tags) {
      const match = /^(\S+)\s+\d+:(.*)$/.exec(line);
      if (match) tagRefs.set(match[1], match[2]);
    }
    tagRefs.delete("tip");
    // array_merge($bookmarks, $branches): bookmarks first, a branch of the same name wins.
    const heads = new Map<string, string>();
    for (const line of bookmarks) {
      const match = /^(?:[\s*]*)(\S+)\s+\d+:(.*)$/.exec(line);
      if (match && !match[1].startsWith("-")) heads.set(match[1], match[2]);
    }
    for (const line of branches) {
      const match = /^(\S+)\s+\d+:([a-f0-9]+)/.exec(line);
      if (match && !match[1].startsWith("-")) heads.set(match[1], match[2]);
    }
    const refs = (map: Map<string, string>) => [...map].map(([name, commit]) => ({ name, commit }));
    this.refs = { tags: refs(tagRefs), branches: refs(heads), tip: tip[0] ?? null };
  }

  async defaultBranch(): Promise<string> {
    return "default";
  }

  async rootRevision(): Promise<string | null> {
    return this.opened().tip;
  }

  async tags(): Promise<GitRef[]> {
    return this.opened().tags;
  }

  async branches(): Promise<GitRef[]> {
    return this.opened().branches;
  }

  async readFile(commits: readonly string[], file: string): Promise<Map<string, FileAtCommit>> {
    this.opened();
    const unique = [...new Set(commits)];
    const files = await mapLimit(unique, CONCURRENCY, async (identifier): Promise<FileAtCommit> => {
      // getFileContent(): an identifier must not start with "-"; hg's exit status is not looked at.
      if (identifier.startsWith("-")) return { kind: "unreadable", reason: `Invalid hg identifier detected: ${identifier}` };
      const run = await this.hg(["cat", "-r", identifier, "--", file], this.timeoutMs, MAX_FILE_BYTES).catch((error: unknown) => error as Error);
      if (run instanceof Error) return { kind: "unreadable", reason: run.message };
      return run.stdout.length === 0 ? { kind: "missing" } : fileFromBytes(run.stdout);
    });
    return new Map(unique.map((identifier, index) => [identifier, files[index]]));
  }

  /** `hg log --template "{date|rfc3339date}"`, for many changesets in a few calls. */
  async commitTimes(commits: readonly string[]): Promise<Map<string, string>> {
    this.opened();
    const unique = [...new Set(commits)].filter((commit) => /^[0-9a-f]+$/.test(commit));
    const found = new Map<string, string>();
    for (let start = 0; start < unique.length; start += 200) {
      const chunk = unique.slice(start, start + 200);
      const run = await this.hg(["log", "--template", "{node} {date|rfc3339date}\\n", ...chunk.flatMap((id) => ["-r", id])], this.timeoutMs);
      if (run.code !== 0) continue;
      for (const line of run.stdout.toString("utf8").split("\n")) {
        const [node, time] = line.split(" ");
        if (!node || !time) continue;
        for (const id of chunk) if (node.startsWith(id)) found.set(id, time);
      }
    }
    return found;
  }

  async commitDates(commits: readonly string[]): Promise<Map<string, Date>> {
    return new Map([...(await this.commitTimes(commits))].map(([commit, time]) => [commit, new Date(time)]));
  }

  async archive(identifier: string, prefix: string, excludes: readonly string[]): Promise<Uint8Array> {
    this.opened();
    if (!/^[0-9a-f]{6,40}$/.test(identifier)) throw new RepositoryError("invalid", `not a changeset id: ${identifier}`);
    const work = await mkdtemp(path.join(os.tmpdir(), "satchel-hg-archive-"));
    try {
      const target = path.join(work, "files");
      const run = await this.hg(["archive", "--config", "ui.archivemeta=false", "-r", identifier, "-t", "files", "--", target], this.fetchTimeoutMs);
      if (run.code !== 0) throw new RepositoryError("invalid", `hg archive failed: ${firstLine(run.stderr)}`);
      return await zipDirectory(target, prefix, excludes);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    this.refs = null;
    this.env = HG_ENV;
    const dir = this.authDir;
    this.authDir = null;
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  /** An hgrc (mode 0600, removed on close) whose [auth] section answers for this URL only. */
  private async writeAuth(username: string, password: string): Promise<void> {
    if (/[\r\n]/.test(username + password)) throw new RepositoryError("invalid", "credentials must not contain line breaks");
    this.authDir = await mkdtemp(path.join(os.tmpdir(), "satchel-hg-auth-"));
    const hgrc = path.join(this.authDir, "hgrc");
    // With its scheme: a prefix without one would only match https (hg's `auth.*.schemes` default).
    const prefix = this.source.url.replace(/^([a-z][a-z0-9+.-]*:\/\/)[^/@]*@/i, "$1").replace(/[\r\n]/g, "");
    await writeFile(hgrc, `[auth]\nsatchel.prefix = ${prefix}\nsatchel.username = ${username}\nsatchel.password = ${password}\n`, { mode: 0o600 });
    this.env = { ...HG_ENV, HGRCPATH: hgrc };
  }

  private opened(): NonNullable<HgDriver["refs"]> {
    if (!this.refs) throw new RepositoryError("invalid", "the hg driver is not open (call open() first)");
    return this.refs;
  }

  /** initialize(): pull into the cached clone, or clone afresh (into a temp dir, then renamed). */
  private async sync(signal?: AbortSignal): Promise<void> {
    await mkdir(path.dirname(this.repoDir), { recursive: true, mode: 0o700 });
    const exists = await stat(path.join(this.repoDir, ".hg")).then(() => true, () => false);
    if (exists) {
      const pull = await this.hg(["pull", "--quiet"], this.fetchTimeoutMs, undefined, signal);
      if (pull.code === 0) return;
      await rm(this.repoDir, { recursive: true, force: true });
    }
    const temp = await mkdtemp(`${this.repoDir}.tmp-`);
    try {
      const clone = await execGit({ program: "hg", args: [...NO_PROMPTS, "clone", "--noupdate", "--quiet", "--", this.source.url, temp], env: this.env, timeoutMs: this.fetchTimeoutMs, signal, secrets: this.secrets() });
      if (clone.code !== 0) throw new RepositoryError("not-found", `Failed to clone ${redact(this.source.url)}: ${firstLine(clone.stderr)}`);
      await rename(temp, this.repoDir);
    } catch (error) {
      await rm(temp, { recursive: true, force: true });
      throw error;
    }
  }

  private async lines(args: string[]): Promise<string[]> {
    const run = await this.hg(args, this.timeoutMs);
    if (run.code !== 0) throw new RepositoryError("invalid", `hg ${args[0]} failed in ${redact(this.source.url)}: ${firstLine(run.stderr)}`);
    const trimmed = run.stdout.toString("utf8").trim();
    return trimmed === "" ? [] : trimmed.split(/\r?\n/);
  }

  private hg(args: string[], timeoutMs: number, maxOutput?: number, signal?: AbortSignal) {
    return execGit({ program: "hg", args: [...NO_PROMPTS, "--cwd", this.repoDir, ...args], env: this.env, timeoutMs, maxOutput, signal, secrets: this.secrets() });
  }

  private secrets(): string[] {
    return this.options.password ? [this.options.password] : [];
  }
}

function firstLine(stderr: string): string {
  return redact(stderr.trim().split("\n")[0] ?? "hg failed").slice(0, 300);
}
