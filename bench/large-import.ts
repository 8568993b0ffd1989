// A large repository's first import, end to end: the generated repository of bench/scan.ts
// (1,318 refs, with 100 source files in every commit) served by `git daemon`, Satchel started as a user starts it (`npm run serve`, and
// `npm start` unless BENCH_RUNTIMES says otherwise) with its git worker, then
//   - the time from POST /api/create-package to every version visible in p2 (stable + ~dev),
//   - the first request of old versions' zipballs (built on that request) and a second one,
//   - the data folder's size after the import,
// once with zipballs deferred (the default) and once with SATCHEL_GIT_DEFER_ZIPBALLS=0 (every
// zipball built before publishing: the behaviour before deferral). Prints a table and writes
// bench/large-import-results.md. `node bench/large-import.ts`; BENCH_RUNTIMES=node,workerd.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { startGitDaemon } from "../test/support/git-servers.ts";
import { startSatchel, type Runtime } from "../test/support/satchel-process.ts";
import { expandVersions } from "../src/composer-rules/minify.ts";
import { makeRepository } from "./scan.ts";

const RESULTS = fileURLToPath(new URL("./large-import-results.md", import.meta.url));
const MAJORS = 13;

interface P2Version {
  version: string;
  dist: { url: string; shasum: string };
}

export interface ImportRun {
  runtime: Runtime;
  deferred: boolean;
  versions: number;
  importSeconds: number;
  /** Zipballs built before publishing (non-empty shasum). */
  builtBeforePublish: number;
  firstZipballMs: number[];
  secondZipballMs: number[];
  dataMb: number;
}

/** 100 PHP classes of ~2 KB each (little repetition), the same in every commit: each zipball holds about 100 KB. */
function sourceFiles(): Record<string, string> {
  let seed = 42;
  const word = () => {
    seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
    return seed.toString(36);
  };
  const files: Record<string, string> = {};
  for (let i = 0; i < 100; i++) {
    const body = Array.from({ length: 60 }, () => `    private string $${word()} = '${word()}${word()}';`).join("\n");
    files[`src/Generated/Class${i}.php`] = `<?php\n\nnamespace Acme\\Big\\Generated;\n\nfinal class Class${i}\n{\n${body}\n}\n`;
  }
  return files;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function folderMb(dir: string): number {
  const du = spawnSync("du", ["-sk", dir], { encoding: "utf8" });
  return Number(du.stdout.split("\t")[0]) / 1024;
}

async function p2Versions(url: string, token: string, name: string): Promise<P2Version[]> {
  const versions: P2Version[] = [];
  for (const file of [`${name}.json`, `${name}~dev.json`]) {
    const response = await fetch(`${url}/p2/${file}`, { headers: { authorization: `Bearer ${token}` } });
    if (response.status !== 200) return [];
    const body = (await response.json()) as { packages: Record<string, P2Version[]> };
    versions.push(...expandVersions(body.packages[name] ?? []));
  }
  return versions;
}

async function timedZipball(url: string, token: string): Promise<number> {
  const started = performance.now();
  const response = await fetch(url, { headers: { authorization: `Bearer ${token}` } });
  const bytes = (await response.arrayBuffer()).byteLength;
  if (response.status !== 200 || bytes === 0) throw new Error(`${url}: ${response.status}`);
  return performance.now() - started;
}

async function importOnce(runtime: Runtime, deferred: boolean, gitUrl: string, expected: number): Promise<ImportRun> {
  const satchel = await startSatchel(runtime, { SATCHEL_GIT_DEFER_ZIPBALLS: deferred ? "1" : "0", SATCHEL_GIT_CACHE: mkdtempSync(path.join(os.tmpdir(), "bench-git-cache-")) });
  try {
    const token = await satchel.adminToken();
    const before = folderMb(satchel.dataDir);
    const started = performance.now();
    const created = await fetch(`${satchel.url}/api/create-package`, { method: "POST", headers: { authorization: `Bearer ${token}` }, body: JSON.stringify({ repository: gitUrl }) });
    if (created.status !== 202) throw new Error(`create-package: ${created.status} ${await created.text()}`);
    let versions: P2Version[] = [];
    while (versions.length < expected) {
      if (performance.now() - started > 600_000) throw new Error(`only ${versions.length} of ${expected} versions after 10 minutes\n${satchel.output()}`);
      await sleep(100);
      versions = await p2Versions(satchel.url, token, "acme/big");
    }
    const importSeconds = (performance.now() - started) / 1000;
    const byVersion = new Map(versions.map((version) => [version.version, version]));
    // Old versions of different major lines: none is among those built before publishing.
    const old = ["v1.0.3", "2.3.5", "v5.1.1", "8.0.0", "v11.6.7"].map((version) => byVersion.get(version)).filter((version): version is P2Version => version !== undefined);
    const firstZipballMs: number[] = [];
    for (const version of old) firstZipballMs.push(await timedZipball(version.dist.url, token));
    const secondZipballMs: number[] = [];
    for (const version of old) secondZipballMs.push(await timedZipball(version.dist.url, token));
    // Let the worker finish (a job's last writes), then weigh the data folder.
    await sleep(1000);
    return {
      runtime,
      deferred,
      versions: versions.length,
      importSeconds,
      builtBeforePublish: versions.filter((version) => version.dist.shasum !== "").length,
      firstZipballMs,
      secondZipballMs,
      dataMb: folderMb(satchel.dataDir) - before,
    };
  } finally {
    await satchel.stop();
    rmSync(satchel.dataDir, { recursive: true, force: true });
  }
}

export async function runLargeImportBench(log: (line: string) => void = console.log): Promise<ImportRun[]> {
  const root = mkdtempSync(path.join(os.tmpdir(), "bench-large-import-"));
  const repo = path.join(root, "big.git");
  spawnSync("git", ["init", "-q", "--bare", "-b", "main", repo]);
  const made = makeRepository(repo, MAJORS, sourceFiles());
  log(`repository: ${made.refs} refs (${made.tags} tags)`);
  const daemon = await startGitDaemon(root);
  const runtimes = (process.env.BENCH_RUNTIMES ?? "node,workerd").split(",").map((runtime) => runtime.trim()) as Runtime[];
  const runs: ImportRun[] = [];
  try {
    for (const runtime of runtimes) {
      for (const deferred of [true, false]) {
        const run = await importOnce(runtime, deferred, daemon.url("big.git"), made.refs);
        log(`${runtime} ${deferred ? "deferred" : "all built"}: ${run.versions} versions in ${run.importSeconds.toFixed(1)} s, ${run.builtBeforePublish} zipballs built before publishing, first zipball ${run.firstZipballMs.map((ms) => ms.toFixed(0)).join("/")} ms, data ${run.dataMb.toFixed(1)} MB`);
        runs.push(run);
      }
    }
  } finally {
    await daemon.stop();
    rmSync(root, { recursive: true, force: true });
  }
  return runs;
}

function report(runs: ImportRun[]): string {
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? 0;
  const rows = runs.map((run) =>
    `| ${run.runtime === "node" ? "Node (`npm run serve`)" : "workerd (`npm start`)"} | ${run.deferred ? "deferred (default)" : "all built first (`SATCHEL_GIT_DEFER_ZIPBALLS=0`, as before)"} | ${run.versions} | ${run.importSeconds.toFixed(1)} s | ${run.builtBeforePublish} | ${median(run.firstZipballMs).toFixed(0)} ms (max ${Math.max(...run.firstZipballMs).toFixed(0)}) | ${median(run.secondZipballMs).toFixed(0)} ms | ${run.dataMb.toFixed(1)} MB |`,
  );
  return [
    "# Large repository import",
    "",
    `Generated by \`node bench/large-import.ts\` on ${new Date().toISOString().slice(0, 10)} (${os.cpus().length} cores, shared): the repository of bench/scan.ts`,
    "(1,300 tags, 13 maintenance branches, 4 feature branches, main; 100 source files of ~2 KB in every commit) served by `git daemon`; Satchel and its git worker started as a",
    "user starts them. Import: `POST /api/create-package` until every version is in p2 (stable and ~dev). Zipball: the first and",
    "second request of five old versions' archives (not built before publishing when deferred). Data: the data folder's growth.",
    "",
    "| server | zipballs | versions | create-package to all in p2 | built before publishing | first old zipball (median) | second request | data folder |",
    "|---|---|---|---|---|---|---|---|",
    ...rows,
    "",
  ].join("\n");
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  const runs = await runLargeImportBench();
  const text = report(runs);
  console.log(`\n${text}`);
  writeFileSync(RESULTS, text);
}
