// The real `composer` as the benches drive it: a project folder with its own Composer home and
// cache (so a fresh folder is a cold run), and one timed `composer update`.
import { execFile } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

export async function composerProject(dir: string, url: string, require: Record<string, string>, auth?: { username: string; token: string }): Promise<string> {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, "composer.json"), JSON.stringify({ name: "bench/project", require, repositories: [{ type: "composer", url }, { "packagist.org": false }], config: { "secure-http": false } }));
  if (auth) await writeFile(path.join(dir, "auth.json"), JSON.stringify({ "http-basic": { [new URL(url).host]: { username: auth.username, password: auth.token } } }));
  return dir;
}

/** Milliseconds for one `composer update` in `dir`. */
export function composerUpdate(dir: string): Promise<number> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      "composer",
      ["update", "--no-interaction", "--no-progress", "--no-ansi"],
      { cwd: dir, env: { ...process.env, COMPOSER_HOME: path.join(dir, ".composer-home"), COMPOSER_CACHE_DIR: path.join(dir, ".composer-cache"), COMPOSER_ALLOW_SUPERUSER: "1" }, timeout: 300_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`composer update in ${dir} failed:\n${stdout}\n${stderr}`)) : resolve(performance.now() - started)),
    );
  });
}
