// Running git: a timeout on every call (the whole process group is killed, so ssh and
// git-remote-https go too), no terminal prompts, stdout as bytes, and failures mapped to a
// RepositoryError whose message never carries credentials.
import { spawn } from "node:child_process";
import { RepositoryError } from "./driver.ts";

export interface GitRun {
  /** The program to run: git unless said otherwise (svn and hg run the same way). */
  program?: string;
  args: readonly string[];
  env: NodeJS.ProcessEnv;
  timeoutMs: number;
  cwd?: string;
  input?: string;
  signal?: AbortSignal;
  /** Refuse more stdout than this (bytes). */
  maxOutput?: number;
  /** Strings that must never appear in a message (tokens, passwords). */
  secrets?: readonly string[];
}

export interface GitOutput {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/** Runs git; resolves with its exit code, rejects only on timeout, abort or a missing git. */
export function execGit(run: GitRun): Promise<GitOutput> {
  return new Promise((resolve, reject) => {
    const program = run.program ?? "git";
    const child = spawn(program, run.args, { cwd: run.cwd, env: run.env, stdio: ["pipe", "pipe", "pipe"], detached: true });
    const chunks: Buffer[] = [];
    let size = 0;
    let stderr = "";
    let failure: RepositoryError | null = null;
    const stop = (error: RepositoryError) => {
      failure ??= error;
      killGroup(child.pid);
    };
    const timer = setTimeout(() => stop(new RepositoryError("timeout", `${program} ${run.args[0]} timed out after ${Math.round(run.timeoutMs / 1000)} s`)), run.timeoutMs);
    const onAbort = () => stop(new RepositoryError("timeout", `${program} ${run.args[0]} was aborted`));
    run.signal?.addEventListener("abort", onAbort, { once: true });
    if (run.signal?.aborted) onAbort();
    child.stdout.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (run.maxOutput !== undefined && size > run.maxOutput) {
        stop(new RepositoryError("invalid", `${program} ${run.args[0]} produced more than ${run.maxOutput} bytes`));
        return;
      }
      chunks.push(chunk);
    });
    child.stderr.on("data", (chunk: Buffer) => {
      if (stderr.length < 64 * 1024) stderr += chunk.toString("utf8");
    });
    child.stdin.on("error", () => {}); // git may exit before reading all input
    child.stdin.end(run.input ?? "");
    child.on("error", (error) => {
      clearTimeout(timer);
      reject(new RepositoryError("invalid", `cannot run ${program}: ${error.message}`, { cause: error }));
    });
    child.on("close", (code) => {
      clearTimeout(timer);
      run.signal?.removeEventListener("abort", onAbort);
      if (failure) reject(failure);
      else resolve({ stdout: Buffer.concat(chunks), stderr: redact(stderr, run.secrets), code: code ?? 1 });
    });
  });
}

/** Kills a child's whole process group (it was started detached, so it leads one). */
export function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // already gone
  }
}

/** Removes `user:password@` (or `token@`) from URLs, and any known secret, from a message. */
export function redact(message: string, secrets: readonly string[] = []): string {
  let text = message.replace(/([a-z][a-z0-9+.-]*:\/\/)[^/@\s]*@/gi, "$1");
  for (const secret of secrets) if (secret.length >= 4) text = text.replaceAll(secret, "***");
  return text;
}

/** The RepositoryError for a failed network operation, from git's (C locale) stderr. */
export function remoteFailure(url: string, stderr: string): RepositoryError {
  const detail = redact(lastMeaningfulLine(stderr));
  const where = redact(url);
  const is = (re: RegExp) => re.test(stderr);
  if (is(/Host key verification failed|REMOTE HOST IDENTIFICATION HAS CHANGED|host key for .* has changed|No \S+ host key is known/i)) {
    return new RepositoryError("host-key", `The SSH host key of ${where} is unknown or has changed: ${detail}`);
  }
  // git daemon says "access denied or repository not exported" for a missing repository: git://
  // has no authentication, so it means not found.
  if (is(/repository not exported/i)) return new RepositoryError("not-found", `Repository ${where} was not found: ${detail}`);
  if (is(/Authentication failed|could not read (Username|Password)|Permission denied \(|Access denied|returned error: 40[13]|terminal prompts disabled|Invalid username or password|HTTP Basic/i)) {
    return new RepositoryError("auth", `Authentication to ${where} failed: ${detail}`);
  }
  if (is(/not found|does not appear to be a git repository|returned error: 404|does not exist|No such file or directory|not a git repository/i)) {
    return new RepositoryError("not-found", `Repository ${where} was not found: ${detail}`);
  }
  return new RepositoryError("unreachable", `Cannot read ${where}: ${detail}`);
}

function lastMeaningfulLine(stderr: string): string {
  const boilerplate = /^(hint|warning):|^Please make sure you have the correct access rights|^and the repository exists\.$/i;
  const lines = stderr.split(/\r?\n/).map((line) => line.trim()).filter((line) => line !== "" && !boilerplate.test(line));
  return (lines.slice(0, 2).join(" / ") || "git failed").slice(0, 500);
}
