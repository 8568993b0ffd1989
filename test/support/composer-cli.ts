// Runs Debian's real `composer` client against a Satchel URL in a throwaway project.
import { execFile, execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";

export interface ComposerRun {
  code: number;
  output: string;
}

export const COMPOSER_INSTALL = "apt-get install composer php-cli php-zip unzip";

export function composerAvailable(): boolean {
  try {
    execFileSync("composer", ["--version"], { stdio: "ignore", env: { ...process.env, COMPOSER_ALLOW_SUPERUSER: "1" } });
    return true;
  } catch {
    return false;
  }
}

/** A project whose only repository is Satchel (packagist.org off), with http-basic credentials. */
export async function composerProject(url: string, username: string, token: string, require: Record<string, string> = {}): Promise<string> {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-project-"));
  await writeFile(
    path.join(dir, "composer.json"),
    JSON.stringify({
      name: "test/project",
      require,
      repositories: [{ type: "composer", url }, { "packagist.org": false }],
      config: { "secure-http": false },
    }),
  );
  await setCredentials(dir, url, username, token);
  return dir;
}

export async function setCredentials(dir: string, url: string, username: string, token: string): Promise<void> {
  const host = new URL(url).host;
  await writeFile(path.join(dir, "auth.json"), JSON.stringify({ "http-basic": { [host]: { username, password: token } } }));
}

export function composer(dir: string, args: string[]): Promise<ComposerRun> {
  return new Promise((resolve) => {
    execFile(
      "composer",
      [...args, "--no-interaction", "--no-progress", "--no-ansi"],
      {
        cwd: dir,
        env: {
          ...process.env,
          COMPOSER_HOME: path.join(dir, ".composer-home"),
          COMPOSER_CACHE_DIR: path.join(dir, ".composer-cache"),
          COMPOSER_ALLOW_SUPERUSER: "1",
          COMPOSER_DISABLE_NETWORK: "",
        },
        timeout: 120_000,
      },
      (error, stdout, stderr) => resolve({ code: error ? (typeof error.code === "number" ? error.code : 1) : 0, output: `${stdout}\n${stderr}` }),
    );
  });
}

export async function installedVersion(dir: string, name: string): Promise<string | undefined> {
  const { readFile } = await import("node:fs/promises");
  try {
    const lock = JSON.parse(await readFile(path.join(dir, "composer.lock"), "utf8")) as { packages: { name: string; version: string }[] };
    return lock.packages.find((pkg) => pkg.name === name)?.version;
  } catch {
    return undefined;
  }
}
