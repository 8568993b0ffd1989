// Real Subversion and Mercurial repositories for tests, and the servers Composer and Satchel read
// them through: `svnserve` and `hg serve` on 127.0.0.1 (Debian's subversion and mercurial).
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import path from "node:path";

const ENV = { ...process.env, LC_ALL: "C", HGPLAIN: "1", HGRCPATH: "", HGUSER: "Tester <t@example.com>" };

function run(program: string, args: readonly string[], cwd?: string): string {
  const result = spawnSync(program, args, { cwd, env: ENV, encoding: "utf8" });
  if (result.status !== 0) throw new Error(`${program} ${args.join(" ")} failed: ${result.stderr}`);
  return result.stdout;
}

export function hasSvnAndHg(): string | null {
  for (const [program, flag] of [["svnserve", "--version"], ["svnadmin", "--version"], ["svn", "--version"], ["hg", "--version"]]) {
    if (spawnSync(program, [flag]).status !== 0) return `${program} is not installed (apt-get install subversion mercurial)`;
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port"))));
    });
  });
}

function writeFiles(dir: string, files: Record<string, string>): void {
  for (const [file, content] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    writeFileSync(path.join(dir, file), content);
  }
}

/** A Subversion repository under `root/name`, built through a working copy. */
export class SvnRepo {
  readonly url: string;
  private readonly wc: string;

  constructor(root: string, name: string, dirs: readonly string[]) {
    const repo = path.join(root, name);
    mkdirSync(root, { recursive: true });
    run("svnadmin", ["create", repo]);
    this.url = `file://${repo}`;
    this.wc = path.join(root, `${name}.wc`);
    if (dirs.length > 0) run("svn", ["mkdir", "-q", "--parents", "-m", "layout", ...dirs.map((dir) => `${this.url}/${dir}`)]);
    run("svn", ["checkout", "-q", this.url, this.wc]);
  }

  /** Writes `files` into `dir` (a path in the repository, made if needed) and commits. */
  commit(dir: string, files: Record<string, string>, message = "change"): void {
    run("svn", ["update", "-q"], this.wc);
    const target = path.join(this.wc, dir);
    writeFiles(target, files);
    run("svn", ["add", "-q", "--force", "--parents", target], this.wc);
    run("svn", ["commit", "-q", "-m", message], this.wc);
  }

  /** `svn cp` of a directory at HEAD (a tag or a branch). */
  copy(from: string, to: string): void {
    run("svn", ["copy", "-q", "--parents", "-m", `copy ${from} to ${to}`, `${this.url}/${from}`, `${this.url}/${to}`]);
  }
}

/** A Mercurial repository at `dir`. */
export class HgRepo {
  readonly dir: string;

  constructor(dir: string) {
    this.dir = dir;
    mkdirSync(path.dirname(dir), { recursive: true });
    run("hg", ["init", dir]);
  }

  /** Sets the working files to `files` (others removed) and commits on the current branch. */
  commit(files: Record<string, string>, date: string, message = "change"): void {
    const listed = spawnSync("hg", ["files", "-r", "."], { cwd: this.dir, env: ENV, encoding: "utf8" }).stdout ?? "";
    for (const tracked of listed.split("\n").filter((line) => line && line !== ".hgtags")) {
      if (!(tracked in files)) rmSync(path.join(this.dir, tracked), { force: true });
    }
    writeFiles(this.dir, files);
    run("hg", ["addremove", "-q"], this.dir);
    run("hg", ["commit", "-q", "-d", date, "-m", message], this.dir);
  }

  hg(...args: string[]): string {
    return run("hg", args, this.dir);
  }
}

export interface RunningServer {
  url: string;
  stop: () => void;
}

/** `svnserve` serving every repository under `root`, read-only for anyone. */
export async function startSvnserve(root: string): Promise<RunningServer> {
  const port = await freePort();
  const pidFile = path.join(root, "svnserve.pid");
  run("svnserve", ["-d", "-r", root, "--listen-host", "127.0.0.1", "--listen-port", String(port), "--pid-file", pidFile]);
  await waitForPidFile(pidFile);
  return { url: `svn://127.0.0.1:${port}`, stop: () => stopPid(pidFile) };
}

/** `hg serve` for the given repositories, each at http://127.0.0.1:<port>/<name>. */
export async function startHgServe(root: string, repos: Record<string, string>): Promise<RunningServer> {
  const port = await freePort();
  const config = path.join(root, "hgweb.config");
  writeFileSync(config, `[paths]\n${Object.entries(repos).map(([name, dir]) => `${name} = ${dir}`).join("\n")}\n[web]\npush_ssl = false\n`);
  const pidFile = path.join(root, "hgserve.pid");
  run("hg", ["serve", "-d", "--web-conf", config, "-a", "127.0.0.1", "-p", String(port), "--pid-file", pidFile]);
  await waitForPidFile(pidFile);
  return { url: `http://127.0.0.1:${port}`, stop: () => stopPid(pidFile) };
}

async function waitForPidFile(file: string): Promise<void> {
  for (let i = 0; i < 100; i++) {
    try {
      if (readFileSync(file, "utf8").trim()) return;
    } catch {
      // not yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`server did not write ${file}`);
}

function stopPid(file: string): void {
  try {
    process.kill(Number(readFileSync(file, "utf8").trim()), "SIGTERM");
  } catch {
    // already gone
  }
}
