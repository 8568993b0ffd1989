// For one describe block of end-to-end tests: a fresh folder served by `git daemon` and a
// Satchel (with its git worker) on a runtime, started before the block's tests and stopped
// after them, whatever failed.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll } from "vitest";
import { startGitDaemon, type GitServer } from "./git-servers.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "./satchel-process.ts";

export interface GitSatchel {
  /** The folder the daemon serves. */
  root: string;
  daemon: GitServer;
  satchel: SatchelProcess;
  /** An admin API token. */
  admin: string;
}

export interface GitSatchelOptions {
  /** The temporary folder's name prefix. */
  prefix: string;
  /** Extra environment for Satchel and its worker. */
  env?: Record<string, string>;
  /** Runs before the daemon starts (e.g. writes repositories into the folder). */
  prepare?: (root: string) => void | Promise<void>;
}

/** `started` receives the running pair, before the first test. */
export function withGitSatchel(runtime: Runtime, options: GitSatchelOptions, started: (running: GitSatchel) => void): void {
  let daemon: GitServer | undefined;
  let satchel: SatchelProcess | undefined;
  beforeAll(async () => {
    const root = await mkdtemp(path.join(tmpdir(), options.prefix));
    await options.prepare?.(root);
    daemon = await startGitDaemon(root);
    satchel = await startSatchel(runtime, options.env ?? {});
    started({ root, daemon, satchel, admin: await satchel.adminToken() });
  }, 120_000);
  afterAll(async () => {
    await satchel?.stop();
    await daemon?.stop();
  });
}
