// Composer's own floor: a cold `composer update` of 50 private packages (4 versions each) from
// `npm start` (wrangler dev + workerd, the packages uploaded through the API) against the same
// packages served as static files by nginx. Cold = a fresh project folder, Composer home and
// cache every round; rounds interleaved.
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { packageZip } from "../test/contract/harness.ts";
import { adminToken } from "./api.ts";
import { composerProject, composerUpdate } from "./composer.ts";
import { benchPackages, startNginxUpstream } from "./proxy.ts";
import { startWrangler } from "./servers.ts";
import { median, round } from "./stats.ts";

export interface ComposerFloorResult {
  packages: number;
  versions: number;
  rounds: number;
  satchelMs: number;
  nginxMs: number;
  ratio: number;
  satchelRounds: number[];
  nginxRounds: number[];
}

export async function runComposerFloorBench(options: { rounds: number; log: (line: string) => void }): Promise<ComposerFloorResult> {
  const work = await mkdtemp(path.join(tmpdir(), "satchel-composer-floor-"));
  // nginx workers (nobody) must traverse into the static repository's folder.
  await chmod(work, 0o755);
  const packages = benchPackages();
  const stops: (() => Promise<void>)[] = [];
  try {
    const nginx = await startNginxUpstream(path.join(work, "static"));
    stops.push(nginx.stop);
    const satchel = await startWrangler(path.join(work, "wrangler"));
    stops.push(satchel.stop);
    const token = await adminToken(satchel.url);
    const started = performance.now();
    for (const { name, versions } of packages) {
      for (const { version, require } of versions) {
        const response = await fetch(`${satchel.url}/api/packages/upload/${name}/${version}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" }, body: packageZip({ name, description: `${name}, a bench package`, require }) });
        if (response.status !== 201) throw new Error(`upload ${name} ${version}: ${response.status} ${await response.text()}`);
      }
    }
    options.log(`uploaded ${packages.length} packages x 4 versions to npm start in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    const require = Object.fromEntries(packages.map(({ name }) => [name, "*"]));
    const satchelRounds: number[] = [];
    const nginxRounds: number[] = [];
    for (let i = 0; i < options.rounds; i++) {
      nginxRounds.push(await composerUpdate(await composerProject(path.join(work, `nginx-${i}`), nginx.url, require)));
      satchelRounds.push(await composerUpdate(await composerProject(path.join(work, `satchel-${i}`), satchel.url, require, { username: "admin", token })));
      options.log(`  cold composer update ${i + 1}/${options.rounds}: nginx static ${nginxRounds.at(-1)!.toFixed(0)} ms, npm start ${satchelRounds.at(-1)!.toFixed(0)} ms`);
    }
    const satchelMs = round(median(satchelRounds), 0);
    const nginxMs = round(median(nginxRounds), 0);
    return { packages: packages.length, versions: 4, rounds: options.rounds, satchelMs, nginxMs, ratio: round(satchelMs / nginxMs, 3), satchelRounds, nginxRounds };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}
