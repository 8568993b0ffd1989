// Composer's own floor: a cold `composer update` of 50 private packages (4 versions each) from
// `npm start` (the Worker on workerd, the packages uploaded through the API) against the same
// packages served as static files by nginx. Cold = a fresh project folder, Composer home and
// cache every round; rounds interleaved. Also the servers' CPU per run (their process groups,
// from /proc): on a shared machine it moves much less than the wall time.
// Run alone with `node bench/composer-floor.ts` (BENCH_ROUNDS, default 7; nothing written).
import { chmod, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { packageZip } from "../test/contract/harness.ts";
import { adminToken } from "./api.ts";
import { composerProject, composerUpdate } from "./composer.ts";
import { benchPackages, startNginxUpstream } from "./proxy.ts";
import { groupCpuMicros } from "./cpu.ts";
import { startWrangler, type Server } from "./servers.ts";
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
  /** Median CPU milliseconds of each server's process group per run (npm start: its Node processes, workerd, the git worker). */
  satchelCpuMs: number;
  nginxCpuMs: number;
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
    const satchelCpu: number[] = [];
    const nginxCpu: number[] = [];
    /** Wall and server CPU milliseconds of one cold `composer update` against `server`. */
    const timed = async (server: Server, dir: string, auth?: { username: string; token: string }) => {
      const project = await composerProject(dir, server.url, require, auth);
      const before = groupCpuMicros(server.pgid!);
      const ms = await composerUpdate(project);
      return { ms, cpuMs: (groupCpuMicros(server.pgid!) - before) / 1000 };
    };
    for (let i = 0; i < options.rounds; i++) {
      const fromNginx = await timed(nginx, path.join(work, `nginx-${i}`));
      const fromSatchel = await timed(satchel, path.join(work, `satchel-${i}`), { username: "admin", token });
      nginxRounds.push(fromNginx.ms);
      nginxCpu.push(fromNginx.cpuMs);
      satchelRounds.push(fromSatchel.ms);
      satchelCpu.push(fromSatchel.cpuMs);
      options.log(`  cold composer update ${i + 1}/${options.rounds}: nginx static ${fromNginx.ms.toFixed(0)} ms (server CPU ${fromNginx.cpuMs.toFixed(0)} ms), npm start ${fromSatchel.ms.toFixed(0)} ms (server CPU ${fromSatchel.cpuMs.toFixed(0)} ms)`);
    }
    const satchelMs = round(median(satchelRounds), 0);
    const nginxMs = round(median(nginxRounds), 0);
    return {
      packages: packages.length,
      versions: 4,
      rounds: options.rounds,
      satchelMs,
      nginxMs,
      ratio: round(satchelMs / nginxMs, 3),
      satchelRounds: satchelRounds.map((ms) => round(ms, 0)),
      nginxRounds: nginxRounds.map((ms) => round(ms, 0)),
      satchelCpuMs: round(median(satchelCpu), 0),
      nginxCpuMs: round(median(nginxCpu), 0),
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  const result = await runComposerFloorBench({ rounds: Number(process.env.BENCH_ROUNDS || 7), log: (line) => console.log(line) });
  console.log(JSON.stringify(result, null, 2));
  console.log(`cold composer update: npm start ${result.satchelMs} ms, nginx static ${result.nginxMs} ms, ratio ${result.ratio} (target <= 1.1); server CPU per run ${result.satchelCpuMs} ms against ${result.nginxCpuMs} ms`);
}
