import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { packageZip } from "../test/contract/harness.ts";
import { adminToken } from "./api.ts";
import { composerProject } from "./composer.ts";
import { benchPackages, startNginxUpstream } from "./proxy.ts";
import { startWrangler, startServe } from "./servers.ts";
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
const work = await mkdtemp(path.join(tmpdir(), "floor-dbg-"));
await chmod(work, 0o755);
const nginx = await startNginxUpstream(path.join(work, "static"));
const satchel = process.argv[2] === "serve" ? await startServe(path.join(work, "serve"), "bun", 2) : await startWrangler(path.join(work, "wrangler"));
const token = await adminToken(satchel.url);
for (const { name, versions } of benchPackages()) for (const { version, require } of versions) {
  const r = await fetch(`${satchel.url}/api/packages/upload/${name}/${version}`, { method: "PUT", headers: { authorization: `Bearer ${token}` }, body: packageZip({ name, description: `${name}, a bench package`, require }) });
  if (r.status !== 201) throw new Error(String(r.status));
}
const require = Object.fromEntries(benchPackages().map(({ name }) => [name, "*"]));
for (const [label, url, auth] of [["nginx", nginx.url, undefined], ["satchel", satchel.url, { username: "admin", token }]] as const) {
  const dir = await composerProject(path.join(work, label), url, require, auth);
  const t0 = performance.now();
  let out = "";
  const r = spawnSync("composer", ["update", "--no-interaction", "--no-progress", "--no-ansi", "-vvv", "--profile"], { cwd: dir, env: { ...process.env, COMPOSER_HOME: path.join(dir, ".h"), COMPOSER_CACHE_DIR: path.join(dir, ".c"), COMPOSER_ALLOW_SUPERUSER: "1" }, encoding: "utf8" });
  out = r.stdout + r.stderr;
  await writeFile(`/tmp/perf/composer-${label}.log`, out);
  console.log(label, Math.round(performance.now() - t0), "ms");
}
await satchel.stop(); await nginx.stop();
process.exit(0);
