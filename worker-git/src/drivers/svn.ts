// RepositoryDriver over Subversion, as Composer's SvnDriver reads it (composer/composer
// src/Composer/Repository/Vcs/SvnDriver.php): the trunk, branches and tags directories
// (`trunk-path`, `branches-path`, `tags-path`, each may be false), listed with `svn ls --verbose`
// and parsed with Composer's own pattern; a ref's identifier is `/<dir>/@<revision>` (the
// published source reference); composer.json read with `svn cat`, a missing one when svn says
// "path not found"; dates from `svn info`'s "Last Changed Date", with its offset, as Composer
// formats them. The root identifier is trunk's revision, not a branch name, so (as in Composer)
// no branch is the default branch. Zipballs are built from `svn export` of the revision.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import type { SvnPathOption } from "../../../src/packages/vcs-repository.ts";
import { RepositoryError, type FileAtCommit, type GitRef, type RepositoryDriver } from "./driver.ts";
import { zipDirectory } from "./export-zip.ts";
import { execGit, redact } from "./git-exec.ts";
import { defaultCacheDir } from "./git-mirror.ts";
import { fileFromBytes, mapLimit } from "./provider-http.ts";

export interface SvnDriverOptions {
  url: string;
  /** Where the scan cache lives (composer.json by identifier: `path@revision` never changes). */
  cacheDir?: string;
  paths?: Partial<Record<SvnPathOption, string | false>>;
  username?: string;
  password?: string;
  timeoutMs?: number;
}

const CONCURRENCY = 4;
const MAX_FILE_BYTES = 1024 * 1024;
// SvnDriver::getTags()/getBranches(): the first and the last word of each `svn ls --verbose` line.
const LS_LINE = /^\s*(\S+).*?(\S+)\s*$/;

export class SvnDriver implements RepositoryDriver {
  readonly source: { type: "svn"; url: string };
  readonly scanCachePath: string;
  private readonly options: SvnDriverOptions;
  private readonly trunkPath: string | false;
  private readonly branchesPath: string | false;
  private readonly tagsPath: string | false;
  private readonly timeoutMs: number;
  private configDir: string | null = null;
  private refs: { branches: GitRef[]; tags: GitRef[]; root: string | null } | null = null;

  constructor(options: SvnDriverOptions) {
    this.options = options;
    this.trunkPath = options.paths?.["trunk-path"] ?? "trunk";
    this.branchesPath = options.paths?.["branches-path"] ?? "branches";
    this.tagsPath = options.paths?.["tags-path"] ?? "tags";
    this.timeoutMs = options.timeoutMs ?? 60_000;
    // initialize(): `$this->url = $this->baseUrl = rtrim(self::normalizeUrl($this->url), '/')`, then
    // the base is what precedes the last "/<trunk-path>" (PHP's '/' . false is '/').
    const url = normalizeUrl(options.url).replace(/\/+$/, "");
    const at = url.lastIndexOf(`/${this.trunkPath === false ? "" : this.trunkPath}`);
    this.source = { type: "svn", url: at >= 0 ? url.slice(0, at) : url };
    const cacheDir = options.cacheDir ?? defaultCacheDir();
    this.scanCachePath = path.join(cacheDir, `${createHash("sha256").update(this.source.url).digest("hex").slice(0, 40)}.svn.scan-cache.json`);
  }

  async open(signal?: AbortSignal): Promise<void> {
    await this.close();
    await mkdir(path.dirname(this.scanCachePath), { recursive: true, mode: 0o700 });
    this.configDir = await mkdtemp(path.join(os.tmpdir(), "satchel-svn-"));
    try {
      const base = this.source.url;
      const trunkParent = this.trunkPath === false ? `${base}/` : `${base}/${this.trunkPath}`;
      const [trunk, branches, tags] = await Promise.all([
        this.list(trunkParent, signal),
        this.branchesPath === false ? [] : this.list(`${base}/${this.branchesPath}`, signal),
        this.tagsPath === false ? [] : this.list(`${base}/${this.tagsPath}`, signal),
      ]);
      const trunkLine = trunk.find(([, name]) => name === "./");
      const root = trunkLine ? this.identifier(`/${this.trunkPath === false ? "" : this.trunkPath}`, trunkLine[0]) : null;
      const under = (dir: string | false, rows: string[][]) =>
        dedupe(rows.filter(([, name]) => name !== "./").map(([revision, name]) => ({ name: name.replace(/\/+$/, ""), commit: this.identifier(`/${dir}/${name}`, revision) })));
      this.refs = {
        root,
        branches: dedupe([...(root ? [{ name: "trunk", commit: root }] : []), ...under(this.branchesPath, branches)]),
        tags: under(this.tagsPath, tags),
      };
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async defaultBranch(): Promise<string> {
    return "trunk";
  }

  async rootRevision(): Promise<string | null> {
    return this.opened().root;
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
      const { dir, revision } = splitIdentifier(identifier);
      const run = await this.svn("cat", [], [`${this.source.url}${dir}${file}${revision}`], MAX_FILE_BYTES).catch((error: unknown) => error as Error);
      if (run instanceof Error) return { kind: "unreadable", reason: run.message };
      if (run.code === 0) return fileFromBytes(run.stdout);
      // getComposerInformation(): a missing file is "path not found" / W160013, anything else fails the ref.
      if (/path not found|W160013/i.test(run.stderr)) return { kind: "missing" };
      return { kind: "unreadable", reason: firstLine(run.stderr) };
    });
    return new Map(unique.map((identifier, index) => [identifier, files[index]]));
  }

  async commitTimes(commits: readonly string[]): Promise<Map<string, string>> {
    this.opened();
    const unique = [...new Set(commits)];
    const times = await mapLimit(unique, CONCURRENCY, async (identifier) => {
      const { dir, revision } = splitIdentifier(identifier);
      const run = await this.svn("info", [], [`${this.source.url}${dir}${revision}`]);
      return run.code === 0 ? lastChangedDate(run.stdout.toString("utf8")) : null;
    });
    const found = new Map<string, string>();
    unique.forEach((identifier, index) => {
      const time = times[index];
      if (time) found.set(identifier, time);
    });
    return found;
  }

  async commitDates(commits: readonly string[]): Promise<Map<string, Date>> {
    return new Map([...(await this.commitTimes(commits))].map(([commit, time]) => [commit, new Date(time)]));
  }

  distReference(identifier: string): string {
    const revision = /@(\d+)$/.exec(identifier)?.[1] ?? "0";
    return `r${revision}-${createHash("sha1").update(identifier).digest("hex").slice(0, 20)}`;
  }

  async archive(identifier: string, prefix: string, excludes: readonly string[]): Promise<Uint8Array> {
    this.opened();
    const { dir, revision } = splitIdentifier(identifier);
    const work = await mkdtemp(path.join(os.tmpdir(), "satchel-svn-export-"));
    try {
      const target = path.join(work, "export");
      const run = await this.svn("export", ["--quiet", ...(revision ? ["-r", revision.slice(1)] : [])], [`${this.source.url}${dir.replace(/\/$/, "")}${revision}`, target]);
      if (run.code !== 0) throw new RepositoryError("invalid", `svn export failed: ${firstLine(run.stderr)}`);
      return await zipDirectory(target, prefix, excludes);
    } finally {
      await rm(work, { recursive: true, force: true });
    }
  }

  async close(): Promise<void> {
    const dir = this.configDir;
    this.configDir = null;
    this.refs = null;
    if (dir) await rm(dir, { recursive: true, force: true });
  }

  private opened(): NonNullable<SvnDriver["refs"]> {
    if (!this.refs) throw new RepositoryError("invalid", "the svn driver is not open (call open() first)");
    return this.refs;
  }

  /** buildIdentifier(): `rtrim($baseDir, '/') . '/@' . $revision`. */
  private identifier(dir: string, revision: string): string {
    return `${dir.replace(/\/+$/, "")}/@${revision}`;
  }

  /** `svn ls --verbose` rows as [revision, name]; a failure fails the repository, as in Composer. */
  private async list(url: string, signal?: AbortSignal): Promise<string[][]> {
    const run = await this.svn("ls", ["--verbose"], [url], undefined, signal);
    if (run.code !== 0) throw failure(this.options.url, run.stderr);
    const rows: string[][] = [];
    for (const line of splitLines(run.stdout.toString("utf8"))) {
      const match = LS_LINE.exec(line.trim());
      if (match) rows.push([match[1], match[2]]);
    }
    return rows;
  }

  private svn(command: string, flags: string[], operands: string[], maxOutput?: number, signal?: AbortSignal) {
    const { username, password } = this.options;
    const auth = username ? ["--username", username, ...(password ? ["--password-from-stdin"] : [])] : [];
    return execGit({
      program: "svn",
      // `--` keeps a URL from being read as an option.
      args: [command, "--non-interactive", "--no-auth-cache", "--config-dir", this.configDir as string, ...auth, ...flags, "--", ...operands],
      // svn+ssh must never wait for a password on a terminal.
      env: { ...process.env, LC_ALL: "C", LANG: "C", SVN_SSH: process.env.SVN_SSH ?? "ssh -o BatchMode=yes" },
      input: password && username ? `${password}\n` : undefined,
      timeoutMs: this.timeoutMs,
      maxOutput,
      signal,
      secrets: password ? [password] : [],
    });
  }
}

/** SvnDriver::normalizeUrl(): an absolute local path becomes a file:// URL. */
function normalizeUrl(url: string): string {
  return path.isAbsolute(url) ? `file://${url.replaceAll("\\", "/")}` : url;
}

/** `/path/@12` -> "/path/" and "@12", as getFileContent() splits it. */
function splitIdentifier(identifier: string): { dir: string; revision: string } {
  const padded = `/${identifier.replace(/^\/+|\/+$/g, "")}/`;
  const match = /^(.+?)(@\d+)?\/$/s.exec(padded);
  return match?.[2] ? { dir: match[1], revision: match[2] } : { dir: padded, revision: "" };
}

/** getChangeDate(): "Last Changed Date: 2024-01-02 03:04:05 +0200 (...)" as DATE_RFC3339. */
function lastChangedDate(info: string): string | null {
  const match = /^Last Changed Date: (\d{4}-\d\d-\d\d) (\d\d:\d\d:\d\d) ([+-]\d\d)(\d\d)/m.exec(info);
  return match ? `${match[1]}T${match[2]}${match[3]}:${match[4]}` : null;
}

/** ProcessExecutor::splitLines(). */
function splitLines(output: string): string[] {
  const trimmed = output.trim();
  return trimmed === "" ? [] : trimmed.split(/\r?\n/);
}

/** PHP array semantics: a later key replaces an earlier one's value in the earlier one's place. */
function dedupe(refs: GitRef[]): GitRef[] {
  const byName = new Map<string, GitRef>();
  for (const ref of refs) byName.set(ref.name, byName.has(ref.name) ? { ...(byName.get(ref.name) as GitRef), commit: ref.commit } : ref);
  return [...byName.values()];
}

function firstLine(stderr: string): string {
  return redact(stderr.trim().split("\n").find((line) => line.trim() !== "") ?? "svn failed").slice(0, 300);
}

function failure(url: string, stderr: string): RepositoryError {
  const message = `Repository ${redact(url)} could not be processed, ${firstLine(stderr)}`;
  if (/E170001|E215004|authoriz|authenticat/i.test(stderr)) return new RepositoryError("auth", message);
  if (/E170013|E000111|E670002|Unable to connect/i.test(stderr)) return new RepositoryError("unreachable", message);
  return new RepositoryError("not-found", message);
}
