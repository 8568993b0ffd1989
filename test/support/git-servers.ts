// Real git servers on 127.0.0.1 for end-to-end tests: `git daemon` (git://) and an OpenSSH sshd
// (ssh:// with a key pair made for the test). Both serve bare repositories under one folder.
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { chmod, mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { freePort } from "./satchel-process.ts";

export interface GitServer {
  url(repository: string): string;
  stop(): Promise<void>;
}

async function waitForPort(port: number, child: ChildProcess, output: () => string): Promise<void> {
  const { connect } = await import("node:net");
  const deadline = Date.now() + 15_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited: ${output()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = connect(port, "127.0.0.1", () => {
        socket.end();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    if (Date.now() > deadline) throw new Error(`server did not listen on ${port}: ${output()}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function stopper(child: ChildProcess) {
  return () =>
    new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
}

export async function startGitDaemon(root: string): Promise<GitServer> {
  const port = await freePort();
  let output = "";
  const child = spawn("git", ["daemon", "--reuseaddr", `--base-path=${root}`, "--export-all", "--listen=127.0.0.1", `--port=${port}`, root], { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitForPort(port, child, () => output);
  return { url: (repository) => `git://127.0.0.1:${port}/${repository}`, stop: stopper(child) };
}

export const SSHD = "/usr/sbin/sshd";

export function sshdAvailable(): boolean {
  return existsSync(SSHD) && process.getuid?.() === 0;
}

/** sshd on a free port accepting one generated key for the current (root) user. */
export async function startSshd(root: string): Promise<GitServer & { privateKey: string }> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-sshd-"));
  const hostKey = path.join(dir, "host_ed25519");
  const clientKey = path.join(dir, "client_ed25519");
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", hostKey]);
  execFileSync("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", clientKey]);
  const authorized = path.join(dir, "authorized_keys");
  await writeFile(authorized, await readFile(`${clientKey}.pub`));
  await chmod(authorized, 0o600);
  const port = await freePort();
  const config = path.join(dir, "sshd_config");
  await writeFile(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `AuthorizedKeysFile ${authorized}`,
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "PermitRootLogin prohibit-password",
      "StrictModes no",
      "UsePAM no",
      `PidFile ${path.join(dir, "sshd.pid")}`,
    ].join("\n") + "\n",
  );
  let output = "";
  // sshd needs its privilege-separation directory.
  execFileSync("mkdir", ["-p", "/run/sshd"]);
  const child = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "pipe", "pipe"] });
  child.stderr?.on("data", (chunk: Buffer) => (output += chunk.toString()));
  await waitForPort(port, child, () => output);
  return {
    url: (repository) => `ssh://root@127.0.0.1:${port}${path.join(root, repository)}`,
    privateKey: await readFile(clientKey, "utf8"),
    stop: stopper(child),
  };
}

/** A bare repository `name` under `root`, fed from a work tree; returns helpers to commit and tag. */
export async function createRepository(root: string, name: string) {
  const bare = path.join(root, name);
  const work = await mkdtemp(path.join(tmpdir(), "satchel-work-"));
  const git = (cwd: string, ...args: string[]) =>
    execFileSync("git", args, { cwd, env: { ...process.env, GIT_AUTHOR_NAME: "T", GIT_AUTHOR_EMAIL: "t@example.test", GIT_COMMITTER_NAME: "T", GIT_COMMITTER_EMAIL: "t@example.test" }, stdio: "pipe" }).toString();
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  git(work, "init", "-q", "-b", "main");
  git(work, "remote", "add", "origin", bare);
  return {
    bare,
    async release(composer: Record<string, unknown>, tag: string | null, files: Record<string, string> = {}) {
      await writeFile(path.join(work, "composer.json"), JSON.stringify(composer, null, 2));
      for (const [file, content] of Object.entries(files)) {
        execFileSync("mkdir", ["-p", path.dirname(path.join(work, file))]);
        await writeFile(path.join(work, file), content);
      }
      git(work, "add", "-A");
      git(work, "commit", "-q", "-m", tag ?? "work");
      if (tag) git(work, "tag", "-a", tag, "-m", tag);
      git(work, "push", "-q", "origin", "main", "--tags");
    },
    /** One commit and annotated tag per name, pushed at once (a repository with a long history). */
    async releaseMany(composer: Record<string, unknown>, tags: string[]) {
      await writeFile(path.join(work, "composer.json"), JSON.stringify(composer, null, 2));
      for (const tag of tags) {
        await writeFile(path.join(work, "VERSION"), `${tag}\n`);
        git(work, "add", "-A");
        git(work, "commit", "-q", "-m", tag);
        git(work, "tag", "-a", tag, "-m", tag);
      }
      git(work, "push", "-q", "origin", "main", "--tags");
    },
  };
}
