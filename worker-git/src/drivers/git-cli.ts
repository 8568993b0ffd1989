// RepositoryDriver over the git CLI and a persistent bare mirror (https, ssh, git://, file:// and
// local paths; the caller decides which it allows). After open(), every read is local: refs from
// one `for-each-ref`, commits/trees/blobs through one `cat-file --batch`, zips from `git archive`.
import path from "node:path";
import { RepositoryError, type FileAtCommit, type GitRef, type RepositoryDriver } from "./driver.ts";
import { GitSession, type GitCredentials } from "./git-auth.ts";
import { CatFileBatch, type GitObject } from "./git-batch.ts";
import { execGit, type GitRun } from "./git-exec.ts";
import { defaultCacheDir, fetchUrlFor, mirrorPathFor, syncMirror } from "./git-mirror.ts";
import { parseCommit, parseTree, type CommitInfo, type TreeEntry } from "./git-objects.ts";
import { compileArchiveExcludes, isExcluded } from "./archive-filter.ts";
import { DEFAULT_GIT_TIMEOUTS, type GitTimeouts } from "./git-timeouts.ts";

export { isLocalRepositoryUrl } from "./git-mirror.ts";

export interface GitCliDriverOptions extends GitCredentials {
  /** The repository URL or path, published as `source.url` exactly as given. */
  url: string;
  /** Mirror cache; defaults to `$SATCHEL_GIT_CACHE` or <tmp>/satchel-git-cache. */
  cacheDir?: string;
  /** Timeout of network operations (clone, fetch, ls-remote); default 120 s. */
  fetchTimeoutMs?: number;
  /** Timeout of every other git call; default 30 s. */
  timeoutMs?: number;
  /** Bounds on a silent host (connect, first answer, https low speed). */
  hostTimeouts?: GitTimeouts;
}

const MAX_FILE_BYTES = 1024 * 1024;
const MAX_ARCHIVE_BYTES = 512 * 1024 * 1024;
const HEX_ID = /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/;

export class GitCliDriver implements RepositoryDriver {
  readonly source: { type: "git"; url: string };
  readonly scanCachePath: string;
  private readonly options: GitCliDriverOptions;
  private readonly fetchUrl: string;
  private readonly mirror: string;
  private readonly fetchTimeoutMs: number;
  private readonly timeoutMs: number;
  private session: GitSession | null = null;
  private batch: CatFileBatch | null = null;
  private head: string | null = null;
  private readonly commits = new Map<string, CommitInfo | null>();

  constructor(options: GitCliDriverOptions) {
    this.options = options;
    this.source = { type: "git", url: options.url };
    this.fetchUrl = fetchUrlFor(options.url);
    this.mirror = mirrorPathFor(options.cacheDir ?? defaultCacheDir(), this.fetchUrl);
    this.scanCachePath = `${this.mirror}.scan-cache.json`;
    this.fetchTimeoutMs = options.fetchTimeoutMs ?? 120_000;
    this.timeoutMs = options.timeoutMs ?? 30_000;
  }

  async open(signal?: AbortSignal): Promise<void> {
    await this.close();
    const cacheDir = path.dirname(this.mirror);
    const hostTimeouts = this.options.hostTimeouts ?? DEFAULT_GIT_TIMEOUTS;
    const session = await GitSession.create(this.options, path.join(cacheDir, "known_hosts"), hostTimeouts);
    try {
      const base = { env: session.env, timeoutMs: this.fetchTimeoutMs, signal, secrets: session.secrets };
      this.head = await syncMirror({ fetchUrl: this.fetchUrl, mirror: this.mirror, base, answerTimeoutMs: hostTimeouts.answerTimeoutMs });
      this.batch = new CatFileBatch(this.mirror, session.env);
      this.session = session;
    } catch (error) {
      await session.dispose();
      throw error;
    }
  }

  /** The remote's HEAD branch; Composer falls back to `master` when there is none. */
  async defaultBranch(): Promise<string> {
    this.opened();
    return this.head ?? "master";
  }

  async tags(): Promise<GitRef[]> {
    const rows = await this.refs("refs/tags/", "%(refname)%00%(objectname)%00%(objecttype)%00%(*objectname)%00%(*objecttype)");
    const refs = rows.map(([name, oid, type, peeled, peeledType]) => ({ name, commit: peeled || oid, nested: type === "tag" && peeledType === "tag" }));
    // `*objectname` peels one level; a tag of a tag needs `^{}` (show-ref --dereference).
    const nested = refs.filter((ref) => ref.nested);
    const peeled = await this.objects(nested.map((ref) => `${ref.commit}^{}`), 0);
    nested.forEach((ref, index) => {
      ref.commit = peeled[index]?.oid ?? ref.commit;
    });
    return refs.map(({ name, commit }) => ({ name, commit }));
  }

  async branches(): Promise<GitRef[]> {
    const rows = await this.refs("refs/heads/", "%(refname)%00%(objectname)");
    return rows.map(([name, commit]) => ({ name, commit }));
  }

  async readFile(commits: readonly string[], filePath: string): Promise<Map<string, FileAtCommit>> {
    const result = new Map<string, FileAtCommit>();
    const segments = filePath.split("/").filter((segment) => segment !== "");
    if (segments.length === 0) throw new RepositoryError("invalid", "readFile needs a file path");
    // Walk from each commit's root tree down to the file, one batched round per path segment.
    let at = new Map<string, string>();
    for (const [commit, info] of await this.commitInfo(commits)) {
      if (info) at.set(commit, info.tree);
      else result.set(commit, { kind: "missing" });
    }
    for (let depth = 0; depth < segments.length; depth++) {
      const trees = new Map<string, Map<string, TreeEntry>>();
      for (const [oid, object] of await this.objectMap([...new Set(at.values())], MAX_FILE_BYTES * 8)) {
        if (object?.content) trees.set(oid, parseTree(object.content, object.oid.length / 2));
      }
      const next = new Map<string, string>();
      const last = depth === segments.length - 1;
      for (const [commit, tree] of at) {
        const entry = trees.get(tree)?.get(segments[depth]);
        if (!entry) result.set(commit, { kind: "missing" });
        else if (entry.kind === "tree" && !last) next.set(commit, entry.oid);
        else if (!last) result.set(commit, { kind: "missing" });
        else if (entry.kind === "blob") next.set(commit, entry.oid);
        else result.set(commit, { kind: "unreadable", reason: `${filePath} is a ${entry.kind === "tree" ? "directory" : entry.kind}` });
      }
      at = next;
    }
    const blobs = await this.objectMap([...new Set(at.values())], MAX_FILE_BYTES);
    for (const [commit, oid] of at) result.set(commit, fileOf(blobs.get(oid), filePath));
    return result;
  }

  /** Author dates (`git log --format=%at`, what Composer's GitDriver::getChangeDate() reads). */
  async commitDates(commits: readonly string[]): Promise<Map<string, Date>> {
    const dates = new Map<string, Date>();
    for (const [commit, info] of await this.commitInfo(commits)) {
      if (info?.authorTime != null) dates.set(commit, new Date(info.authorTime * 1000));
    }
    return dates;
  }

  async listFiles(commit: string): Promise<string[]> {
    if (!HEX_ID.test(commit)) throw new RepositoryError("invalid", `not a commit id: ${commit}`);
    return this.lsTree(commit);
  }

  async archive(commit: string, prefix: string, excludes: readonly string[], subdirectory?: string): Promise<Uint8Array> {
    this.opened();
    if (!HEX_ID.test(commit)) throw new RepositoryError("invalid", `not a commit id: ${commit}`);
    if (subdirectory !== undefined && (subdirectory === "" || subdirectory.startsWith("/") || subdirectory.startsWith("-") || subdirectory.split("/").includes("..") || /[\0\n:]/.test(subdirectory))) {
      throw new RepositoryError("invalid", `invalid subdirectory: ${subdirectory}`);
    }
    // A mono-repository's package: the subdirectory's tree, as the archive's only top level.
    const treeish = subdirectory === undefined ? commit : `${commit}:${subdirectory}`;
    if (prefix === "" || prefix.startsWith("/") || prefix.split("/").includes("..") || /[\0\n]/.test(prefix)) {
      throw new RepositoryError("invalid", `invalid archive prefix: ${prefix}`);
    }
    const pathspecs: string[] = [];
    if (excludes.length > 0) {
      const files = await this.lsTree(treeish);
      for (const excluded of excludedPaths(files, excludes)) pathspecs.push(`:(exclude,literal)${excluded}`);
    }
    // git archive reads .gitattributes (export-ignore, export-subst) from the archived tree itself.
    const args = ["archive", "--format=zip", `--prefix=${prefix.replace(/\/+$/, "")}/`, treeish];
    if (pathspecs.length > 0) args.push("--", ...pathspecs);
    const zip = await this.git(args, Math.max(this.timeoutMs, this.fetchTimeoutMs), MAX_ARCHIVE_BYTES);
    return new Uint8Array(zip.buffer, zip.byteOffset, zip.byteLength);
  }

  async close(): Promise<void> {
    this.batch?.close();
    this.batch = null;
    this.commits.clear();
    const session = this.session;
    this.session = null;
    await session?.dispose();
  }

  private opened(): GitSession {
    if (!this.session) throw new RepositoryError("invalid", "the git driver is not open (call open() first)");
    return this.session;
  }

  private async git(args: string[], timeoutMs: number, maxOutput?: number): Promise<Buffer> {
    const session = this.opened();
    const run: GitRun = { args: ["--git-dir", this.mirror, ...args], env: session.env, timeoutMs, maxOutput, secrets: session.secrets };
    const result = await execGit(run);
    if (result.code !== 0) throw new RepositoryError("invalid", `git ${args[0]} failed: ${result.stderr.trim().slice(0, 500)}`);
    return result.stdout;
  }

  /** Every file path under a tree-ish. */
  private async lsTree(treeish: string): Promise<string[]> {
    const listing = await this.git(["ls-tree", "-r", "-z", "--name-only", "--full-tree", treeish], this.timeoutMs);
    return listing.toString("utf8").split("\0").filter((file) => file !== "");
  }

  /** NUL-separated for-each-ref rows (ref names may hold any byte git allows). */
  private async refs(prefix: string, format: string): Promise<string[][]> {
    const output = await this.git(["for-each-ref", `--format=${format}`, prefix], this.timeoutMs);
    return output
      .toString("utf8")
      .split("\n")
      .filter((line) => line !== "")
      .map((line) => {
        const fields = line.split("\0");
        fields[0] = fields[0].slice(prefix.length);
        return fields;
      });
  }

  private objects(names: readonly string[], maxSize: number): Promise<Array<GitObject | null>> {
    this.opened();
    return (this.batch as CatFileBatch).read(names, maxSize, this.timeoutMs);
  }

  private async objectMap(oids: readonly string[], maxSize: number): Promise<Map<string, GitObject | null>> {
    const objects = await this.objects(oids, maxSize);
    return new Map(oids.map((oid, index) => [oid, objects[index]]));
  }

  /** Tree and author time of each commit, read once per driver session. */
  private async commitInfo(commits: readonly string[]): Promise<Map<string, CommitInfo | null>> {
    const unknown = [...new Set(commits)].filter((commit) => !this.commits.has(commit));
    for (const commit of unknown) if (!HEX_ID.test(commit)) throw new RepositoryError("invalid", `not a commit id: ${commit}`);
    const objects = await this.objects(unknown, MAX_FILE_BYTES * 8);
    unknown.forEach((commit, index) => this.commits.set(commit, parseCommit(objects[index])));
    return new Map(commits.map((commit) => [commit, this.commits.get(commit) ?? null]));
  }
}

function fileOf(object: GitObject | null | undefined, filePath: string): FileAtCommit {
  if (!object) return { kind: "missing" };
  if (object.content === null) return { kind: "unreadable", reason: `${filePath} is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB` };
  if (object.content.includes(0)) return { kind: "unreadable", reason: `${filePath} is binary (it contains NUL bytes)` };
  try {
    // fatal: invalid UTF-8 is refused (PHP's json_decode would be); ignoreBOM: a BOM stays in.
    return { kind: "file", content: new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(object.content), id: object.oid };
  } catch {
    return { kind: "unreadable", reason: `${filePath} is not valid UTF-8` };
  }
}

/**
 * The files composer.json `archive.exclude` drops (Composer's rules, archive-filter.ts), as
 * pathspecs; a directory stands for its files when all of them are excluded (shorter commands).
 */
function excludedPaths(files: readonly string[], rules: readonly string[]): string[] {
  const compiled = compileArchiveExcludes(rules);
  const total = new Map<string, number>();
  const dropped = new Map<string, number>();
  const excluded: string[] = [];
  for (const file of files) {
    const out = isExcluded(file, compiled);
    if (out) excluded.push(file);
    for (const dir of ancestors(file)) {
      total.set(dir, (total.get(dir) ?? 0) + 1);
      if (out) dropped.set(dir, (dropped.get(dir) ?? 0) + 1);
    }
  }
  return [...new Set(excluded.map((file) => ancestors(file).find((dir) => dropped.get(dir) === total.get(dir)) ?? file))];
}

/** "a/b/c.php" -> ["a", "a/b"], shortest first. */
function ancestors(file: string): string[] {
  const parts = file.split("/");
  return parts.slice(1).map((_, index) => parts.slice(0, index + 1).join("/"));
}
