// The persistent bare mirror of one repository URL: created once (into a temp dir, then renamed,
// so a half-made mirror is never used): `init` + a fetch of heads and tags only (a plain
// `clone --mirror` would also take e.g. GitHub's refs/pull/*), or `clone --mirror` for a local
// path (hardlinked objects); then refreshed with `fetch --prune`, and guarded
// by a lock directory so two workers never fetch into the same mirror at once.
import { createHash } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, stat } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { RepositoryError } from "./driver.ts";
import { execGit, redact, remoteFailure, type GitRun } from "./git-exec.ts";

/** Where mirrors live: `$SATCHEL_GIT_CACHE`, else <tmp>/satchel-git-cache. */
export function defaultCacheDir(): string {
  return process.env.SATCHEL_GIT_CACHE || path.join(os.tmpdir(), "satchel-git-cache");
}

/** Git's own rule: file:// and paths are local; scheme URLs and scp-like `host:path` are not. */
export function isLocalRepositoryUrl(url: string): boolean {
  if (/^file:\/\//i.test(url)) return true;
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(url)) return false;
  // "host:path" (a colon before any slash) is ssh, except a Windows drive letter.
  if (/^[^/\\]*:/.test(url) && !/^[a-z]:[\\/]/i.test(url)) return false;
  return true;
}

/** The URL git fetches from: local paths made absolute (mirrors run git elsewhere). */
export function fetchUrlFor(url: string): string {
  return isLocalRepositoryUrl(url) && !/^file:\/\//i.test(url) ? path.resolve(url) : url;
}

export function mirrorPathFor(cacheDir: string, fetchUrl: string): string {
  return path.join(cacheDir, `${createHash("sha256").update(fetchUrl).digest("hex").slice(0, 40)}.git`);
}

// No hooks, no detached background gc outliving our timeout, no credential helpers.
const FETCH_CONFIG = ["-c", "gc.autoDetach=false", "-c", "maintenance.autoDetach=false", "-c", "credential.helper=", "-c", "core.hooksPath=/dev/null"];
const REFSPECS = ["+refs/heads/*:refs/heads/*", "+refs/tags/*:refs/tags/*"];

export interface SyncOptions {
  fetchUrl: string;
  mirror: string;
  base: Omit<GitRun, "args">;
  /** Bound on the first contact (`ls-remote HEAD`); when it fails, the fetch beside it stops too. */
  answerTimeoutMs?: number;
}

/** Creates or refreshes the mirror, and returns the remote's default branch (HEAD) if it has one. */
export async function syncMirror(options: SyncOptions): Promise<string | null> {
  const { mirror, fetchUrl, base } = options;
  await mkdir(path.dirname(mirror), { recursive: true, mode: 0o700 });
  return withLock(`${mirror}.lock`, base.timeoutMs, async () => {
    // A host that never answers fails the first contact within answerTimeoutMs, and takes the
    // fetch down with it instead of letting it run to the whole fetch timeout.
    const silentHost = new AbortController();
    const fetchSignal = base.signal ? AbortSignal.any([base.signal, silentHost.signal]) : silentHost.signal;
    const fetching = { ...options, base: { ...base, signal: fetchSignal } };
    const sync = exists(path.join(mirror, "HEAD")).then((ready) => (ready ? fetch(mirror, fetching) : create(fetching)));
    const answerTimeoutMs = Math.min(base.timeoutMs, options.answerTimeoutMs ?? base.timeoutMs);
    const contact = remoteHead({ ...options, base: { ...base, timeoutMs: answerTimeoutMs } }).catch((error: unknown) => {
      silentHost.abort();
      throw error instanceof RepositoryError && error.reason === "timeout"
        ? new RepositoryError("timeout", `${redact(fetchUrl)} did not answer within ${Math.round(answerTimeoutMs / 1000)} s`, { cause: error })
        : error;
    });
    // Both settle before the lock goes (a failed clone cleans up its temp dir first).
    const [head, synced] = await Promise.allSettled([contact, sync]);
    if (head.status === "rejected" && silentHost.signal.aborted) throw head.reason;
    if (synced.status === "rejected") throw synced.reason;
    if (head.status === "rejected") throw head.reason;
    return head.value;
  });
}

async function create(options: SyncOptions): Promise<void> {
  const temp = await mkdtemp(`${options.mirror}.tmp-`);
  try {
    if (path.isAbsolute(options.fetchUrl)) {
      // A local path: `clone --mirror` hardlinks the objects instead of packing them anew.
      const clone = await execGit({ ...options.base, args: [...FETCH_CONFIG, "clone", "--mirror", "--quiet", "--template=", "--", options.fetchUrl, temp] });
      if (clone.code !== 0) throw remoteFailure(options.fetchUrl, clone.stderr);
      await rename(temp, options.mirror);
      return;
    }
    const init = await execGit({ ...options.base, args: ["init", "--bare", "--quiet", "--template=", temp] });
    if (init.code !== 0) throw new RepositoryError("invalid", `git init failed: ${init.stderr.trim()}`);
    await fetch(temp, options);
    await rename(temp, options.mirror);
  } catch (error) {
    await rm(temp, { recursive: true, force: true });
    throw error;
  }
}

async function fetch(gitDir: string, options: SyncOptions): Promise<void> {
  const args = [...FETCH_CONFIG, "--git-dir", gitDir, "fetch", "--prune", "--no-tags", "--quiet", "--", options.fetchUrl, ...REFSPECS];
  const result = await execGit({ ...options.base, args });
  if (result.code !== 0) throw remoteFailure(options.fetchUrl, result.stderr);
}

/** `git ls-remote --symref <url> HEAD`: what Composer's `git remote show origin` reports. */
async function remoteHead(options: SyncOptions): Promise<string | null> {
  const args = [...FETCH_CONFIG, "ls-remote", "--symref", "--", options.fetchUrl, "HEAD"];
  const result = await execGit({ ...options.base, args });
  if (result.code !== 0) throw remoteFailure(options.fetchUrl, result.stderr);
  const match = /^ref: refs\/heads\/(.+)\tHEAD$/m.exec(result.stdout.toString("utf8"));
  return match ? match[1] : null;
}

async function exists(file: string): Promise<boolean> {
  return stat(file).then(() => true, () => false);
}

/** mkdir is atomic: whoever creates the directory holds the lock. A lock older than 3 timeouts is stale. */
async function withLock<T>(lock: string, timeoutMs: number, fn: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      await mkdir(lock);
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      const since = await stat(lock).then((s) => Date.now() - s.mtimeMs, () => 0);
      if (since > 3 * timeoutMs) await rm(lock, { recursive: true, force: true });
      else if (Date.now() > deadline) throw new RepositoryError("timeout", "another worker is still updating this repository's mirror");
      else await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  try {
    return await fn();
  } finally {
    await rm(lock, { recursive: true, force: true });
  }
}
