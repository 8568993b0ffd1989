// Runs the local processes of `npm start` / `npm run serve` together: the git worker beside the
// edge, both stopped on SIGINT/SIGTERM, and everything stopped when the edge exits. Nothing is
// detached: when this process ends, its children have ended.
import { spawn, type ChildProcess, type SpawnOptions } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

/** The line after "ready": where to sign in (a fresh install without ADMIN_USER prints its setup link instead). */
export function signInHint(url: string, adminUser: string | undefined): string {
  return `Admin pages: ${url}/login${adminUser ? ` (sign in as "${adminUser}")` : ""}; API tokens: POST ${url}/api/auth/token. Stop with Ctrl-C.`;
}

export class Supervisor {
  readonly #children: ChildProcess[] = [];
  readonly #onStop: (() => Promise<void>)[] = [];
  #stopping = false;

  constructor() {
    // `on`, not `once`: a signal sent to the process group and passed on by the launcher arrives
    // twice, and a second one must not kill this process before its children have stopped.
    process.on("SIGINT", () => void this.stop(0));
    process.on("SIGTERM", () => void this.stop(0));
  }

  spawn(command: string, args: string[], options: SpawnOptions, { essential }: { essential: boolean }): ChildProcess {
    const child = spawn(command, args, { stdio: ["ignore", "inherit", "inherit"], ...options });
    this.#children.push(child);
    if (essential) child.once("exit", (code) => void this.stop(code ?? 1));
    return child;
  }

  /** Work to do on stop after the children have ended (closing an in-process server). */
  onStop(work: () => Promise<void>): void {
    this.#onStop.push(work);
  }

  /**
   * The git worker, its mirrors and the host keys it accepted on first use kept in the data folder
   * (private to its owner, one per instance) unless SATCHEL_GIT_CACHE says otherwise: in the
   * shared temp folder, another instance's (or user's) known_hosts would decide which hosts this
   * one trusts.
   */
  startWorker(satchelUrl: string, workerToken: string, dataDir: string): void {
    // The git worker is a Node program: under Bun or Deno (npm run serve:bun, serve:deno), the
    // Node that started them (scripts/runtime-binary.ts hands it on), else the `node` on PATH.
    const node = "Bun" in globalThis || "Deno" in globalThis ? (process.env.SATCHEL_NODE ?? "node") : process.execPath;
    this.spawn(node, [path.join(projectRoot, "worker-git", "bin", "satchel-git.js"), "run"], {
      cwd: projectRoot,
      env: { ...process.env, SATCHEL_URL: satchelUrl, WORKER_TOKEN: workerToken, SATCHEL_GIT_CACHE: process.env.SATCHEL_GIT_CACHE || path.join(dataDir, "git-cache") },
    }, { essential: false });
  }

  async stop(code: number): Promise<void> {
    if (this.#stopping) return;
    this.#stopping = true;
    const exits = this.#children.map((child) =>
      child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise<void>((resolve) => child.once("exit", () => resolve())),
    );
    for (const child of this.#children) if (child.exitCode === null) child.kill("SIGTERM");
    const forced = setTimeout(() => {
      for (const child of this.#children) if (child.exitCode === null) child.kill("SIGKILL");
    }, 10_000);
    await Promise.all(exits);
    clearTimeout(forced);
    for (const work of this.#onStop) await work().catch(() => undefined);
    process.exit(code);
  }
}
