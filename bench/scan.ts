// The git worker's scan against Composer's own VcsRepository on the same repository (1,318 refs
// whose composer.json repeats as in real packages): a full `satchel-git scan` cold (mirror clone
// and blob cache made) and warm (both kept) vs Composer (test/differential/vcs-repository-oracle.php,
// reading the local repository in place) cold (empty cache) and warm (its per-commit composer.json
// cache kept), the worker's incremental update after one new tag (CPU, git included), and the
// scan's peak RSS. Prints a table and writes bench/scan-results.md. `node bench/scan.ts`;
// BENCH_QUICK=1 runs a smaller repository once (and writes nothing); BENCH_ROUNDS=n.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GitCliDriver } from "../worker-git/src/drivers/git-cli.ts";
import { scanRepository } from "../worker-git/src/scan/scan-repository.ts";
import { PACKAGIST_LOADER_FLAGS } from "../worker-git/src/scan/load-version.ts";
import { validateComposerJson } from "../src/composer-rules/validate-composer-json.ts";
import { Worker } from "node:worker_threads";
import { RepoBuilder, composerJson, git } from "../worker-git/src/testing/repo-builder.ts";

const BIN = fileURLToPath(new URL("../worker-git/bin/satchel-git.js", import.meta.url));
const ORACLE = fileURLToPath(new URL("../test/differential/vcs-repository-oracle.php", import.meta.url));
const RESULTS = fileURLToPath(new URL("./scan-results.md", import.meta.url));

export interface ScanBenchResults {
  refs: number;
  tags: number;
  blobs: number;
  versions: number;
  satchelColdSeconds: number;
  satchelWarmSeconds: number;
  /** Cold, and without the program's stripped-TypeScript cache (the first run after installing). */
  satchelFirstRunSeconds: number;
  composerColdSeconds: number | null;
  composerWarmSeconds: number | null;
  composerVersions: number | null;
  ratioCold: number | null;
  ratioWarm: number | null;
  incrementalSeconds: number;
  incrementalCpuSeconds: number;
  fetchSeconds: number;
  peakRssMb: number | null;
  /** 1-minute load average before, after Satchel's runs, after Composer's. */
  loadAverage: number[];
  /** Validating every distinct composer.json here vs starting one worker thread with the rules (ms). */
  secondCore: { validateMs: number; threadMs: number };
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

/**
 * A long-lived package as real ones look: `majors` x 10 x 10 tags, a maintenance branch per major
 * and a few feature branches; composer.json changes only every fifth tag (about one ref in five
 * has a distinct blob, as measured on large real repositories), the code on every commit.
 * `sources`: more files in every tagged commit (the large-import bench gives the zipballs some weight).
 */
export function makeRepository(dir: string, majors: number, sources: Record<string, string> = {}): { tags: number; refs: number; blobs: number; manifests: string[] } {
  const b = new RepoBuilder();
  let parent: number | null = null;
  let tags = 0;
  const blobs = new Set<string>();
  const manifest = (major: number, minor: number, patch: number) => composerJson({
    name: "acme/big", description: `Acme ${major}.${minor}`, license: "MIT", keywords: ["acme", `v${major}`],
    require: { php: `>=7.${minor % 5}`, "psr/log": `^${1 + (major % 3)}.0`, ...(patch >= 5 ? { "psr/container": "^2.0" } : {}) },
    autoload: { "psr-4": { "Acme\\Big\\": "src/" } },
    extra: { "branch-alias": { "dev-main": `${majors + 1}.x-dev` } },
  });
  for (let major = 1; major <= majors; major++) {
    for (let minor = 0; minor < 10; minor++) {
      for (let patch = 0; patch < 10; patch++) {
        const version = `${major}.${minor}.${patch}`;
        const json = manifest(major, minor, patch);
        blobs.add(json);
        parent = b.commit({ parent, files: { ...sources, "composer.json": json, "src/Version.php": `<?php const VERSION = '${version}';\n` } });
        b.tag(major % 2 ? `v${version}` : version, parent, { annotated: patch % 2 === 0 });
        tags++;
      }
    }
    b.branch(`${major}.x`, parent as number);
  }
  const features = ["feature/router", "feature/cache", "fix/memory-leak", "docs"];
  for (const name of features) b.branch(name, b.commit({ parent, files: { "composer.json": manifest(majors, 9, 9), "src/Version.php": `<?php // ${name}\n` } }));
  b.branch("main", parent as number);
  b.write(dir, "main");
  return { tags, refs: tags + majors + features.length + 1, blobs: blobs.size, manifests: [...blobs] };
}

/** One `satchel-git scan`; `programCache` replaces the user's cache dir (where stripped TypeScript is kept). */
function satchelScan(repo: string, cacheDir: string, programCache?: string): number {
  const env = { ...process.env, SATCHEL_GIT_CACHE: cacheDir, ...(programCache ? { XDG_CACHE_HOME: programCache } : {}) };
  const run = spawnSync(process.execPath, [BIN, "scan", repo], { env, maxBuffer: 1024 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`satchel-git scan failed: ${run.stderr}`);
  return (JSON.parse(run.stdout.toString()) as unknown[]).length;
}

/** Composer's VcsRepository over the repository; `cold` empties its cache dir first (warm keeps its per-commit composer.json cache). */
function composerScan(repo: string, cacheDir: string, cold: boolean): number {
  if (cold) rmSync(cacheDir, { recursive: true, force: true });
  const run = spawnSync("php", ["-d", "memory_limit=2G", ORACLE], { input: JSON.stringify({ repositories: [repo], cacheDir }), encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`Composer oracle failed: ${run.stderr}`);
  const [reply] = JSON.parse(run.stdout) as Array<{ packages: unknown[] | null; error: string | null }>;
  if (!reply.packages) throw new Error(`Composer: ${reply.error}`);
  return reply.packages.length;
}

/** CPU seconds of this process and its reaped children (git), from /proc/self/stat. */
function cpuSeconds(): number {
  const fields = readFileSync("/proc/self/stat", "utf8").replace(/^.*\) /, "").split(" ");
  // After "pid (comm) ": utime, stime, cutime, cstime are fields 12..15 (0-based 11..14).
  return (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / 100;
}

/** Peak RSS of one `satchel-git scan` process (GNU time), in MB. */
function peakRss(repo: string, cacheDir: string): number | null {
  if (!existsSync("/usr/bin/time")) return null;
  const run = spawnSync("/usr/bin/time", ["-v", process.execPath, BIN, "scan", repo], { env: { ...process.env, SATCHEL_GIT_CACHE: cacheDir }, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
  return kb ? Number(kb) / 1024 : null;
}

interface IncrementalStep {
  /** Wall seconds of the fetch (open) and of the scan after it. */
  fetch: number;
  scan: number;
  /** CPU seconds of the whole update (fetch, scan, the new zipball), git processes included. */
  cpu: number;
}

/** One new tag, then the worker's incremental update: open (fetch), scan with the published entries, build the new zipball. */
export async function incremental(repo: string, cacheDir: string, round: number): Promise<IncrementalStep> {
  const driver = new GitCliDriver({ url: repo, cacheDir });
  await driver.open();
  const previous = (await scanRepository(driver, { sourceUrl: repo })).versions.map((v) => v.entry);
  await driver.close();
  const b = new RepoBuilder();
  const main = git(repo, ["rev-parse", "main"]).trim();
  b.tag(`99.0.${round}`, b.commit({ parent: main, files: { "composer.json": composerJson({ name: "acme/big", description: `new ${round}`, license: "MIT" }) } }));
  b.write(repo);
  const fresh = new GitCliDriver({ url: repo, cacheDir });
  const cpuBefore = cpuSeconds();
  let started = performance.now();
  await fresh.open();
  const fetch = (performance.now() - started) / 1000;
  started = performance.now();
  const result = await scanRepository(fresh, { sourceUrl: repo, previous });
  const scan = (performance.now() - started) / 1000;
  // The worker then builds the one new zipball (uploading and publishing are the edge's work).
  const added = result.versions.find((version) => version.ref === `99.0.${round}`);
  if (!added || result.versions.length !== previous.length + 1) throw new Error("the incremental scan lost or gained versions");
  await fresh.archive(added.commit, `acme-big-${added.commit.slice(0, 12)}`, added.archiveExcludes);
  await fresh.close();
  // Let the exited git processes be reaped, so that their CPU time is counted.
  await new Promise((resolve) => setTimeout(resolve, 100));
  return { fetch, scan, cpu: cpuSeconds() - cpuBefore };
}

/**
 * Would a second core pay for validation? Validating every distinct composer.json of the
 * repository, against starting one worker thread that loads the same rules.
 */
async function secondCoreCheck(manifests: string[]): Promise<{ validateMs: number; threadMs: number }> {
  const started = performance.now();
  for (const manifest of manifests) validateComposerJson(JSON.parse(manifest), { flags: PACKAGIST_LOADER_FLAGS });
  const validateMs = performance.now() - started;
  const threadStarted = performance.now();
  const rules = new URL("../src/composer-rules/validate-composer-json.ts", import.meta.url).href;
  const worker = new Worker(`import(${JSON.stringify(rules)}).then(() => require("node:worker_threads").parentPort.postMessage("ready"))`, { eval: true });
  await new Promise((resolve, reject) => worker.once("message", resolve).once("error", reject));
  const threadMs = performance.now() - threadStarted;
  await worker.terminate();
  return { validateMs, threadMs };
}

export async function runScanBench(options: { quick?: boolean; log?: (line: string) => void } = {}): Promise<ScanBenchResults> {
  const log = options.log ?? console.log;
  const quick = options.quick ?? process.env.BENCH_QUICK === "1";
  const rounds = quick ? 1 : Number(process.env.BENCH_ROUNDS ?? 3);
  const work = mkdtempSync(path.join(os.tmpdir(), "satchel-scan-bench-"));
  try {
    const repo = path.join(work, "big");
    const shape = makeRepository(repo, quick ? 3 : 13);
    log(`scan bench: ${shape.refs} refs (${shape.tags} tags), ${shape.blobs} distinct composer.json blobs, ${rounds} round(s) each`);
    const load = () => os.loadavg()[0];
    const loads = [load()];
    let versions = 0;
    const cold = Array.from({ length: rounds }, (_, i) => timed(() => (versions = satchelScan(repo, path.join(work, `cold-${i}`)))));
    const warm = Array.from({ length: rounds }, () => timed(() => satchelScan(repo, path.join(work, "cold-0"))));
    // The very first run after installing: not even the stripped TypeScript is cached yet.
    const firstRun = timed(() => satchelScan(repo, path.join(work, "first-run"), path.join(work, "first-run-program-cache")));
    loads.push(load());
    const hasPhp = spawnSync("php", ["-r", "exit(0);"]).status === 0 && existsSync("/usr/share/php/Composer/autoload.php");
    let composerVersions: number | null = null;
    const composerCache = path.join(work, "composer-cache");
    const composerCold = hasPhp ? Array.from({ length: rounds }, () => timed(() => (composerVersions = composerScan(repo, composerCache, true)))) : null;
    const composerWarm = hasPhp ? Array.from({ length: rounds }, () => timed(() => composerScan(repo, composerCache, false))) : null;
    loads.push(load());
    const secondCore = await secondCoreCheck(shape.manifests);
    const steps: IncrementalStep[] = [];
    for (let round = 0; round < rounds; round++) steps.push(await incremental(repo, path.join(work, "incremental"), round));
    const results: ScanBenchResults = {
      refs: shape.refs,
      tags: shape.tags,
      blobs: shape.blobs,
      versions,
      satchelColdSeconds: median(cold),
      satchelWarmSeconds: median(warm),
      satchelFirstRunSeconds: firstRun,
      composerColdSeconds: composerCold ? median(composerCold) : null,
      composerWarmSeconds: composerWarm ? median(composerWarm) : null,
      composerVersions,
      ratioCold: composerCold ? median(composerCold) / median(cold) : null,
      ratioWarm: composerWarm ? median(composerWarm) / median(warm) : null,
      incrementalSeconds: median(steps.map((s) => s.scan)),
      incrementalCpuSeconds: median(steps.map((s) => s.cpu)),
      fetchSeconds: median(steps.map((s) => s.fetch)),
      peakRssMb: peakRss(repo, path.join(work, "cold-0")),
      loadAverage: loads,
      secondCore,
    };
    const table = report(results);
    log(table);
    if (!quick) writeFileSync(RESULTS, `# Git scan benchmark\n\n${new Date().toISOString().slice(0, 16)}Z, ${os.cpus()[0]?.model.trim() ?? "unknown CPU"} (${os.cpus().length} cores), Node ${process.version}. Median of ${rounds} run(s); load average (1 min) before / after the Satchel runs / after Composer's: ${loads.map((l) => l.toFixed(2)).join(" / ")}. \`node bench/scan.ts\` regenerates this file.\n\n${table}\n`);
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function report(r: ScanBenchResults): string {
  const s = (value: number) => `${value.toFixed(3)} s`;
  const ratio = (value: number | null) => (value === null ? "-" : `${value.toFixed(1)}x`);
  const rows = [
    ["measure", "result", "target"],
    [`full scan, ${r.refs} refs / ${r.blobs} distinct composer.json (${r.versions} versions), satchel-git scan, cold (mirror clone + blob cache empty)`, s(r.satchelColdSeconds), ""],
    ["full scan, satchel-git scan, warm (mirror and blob cache kept)", s(r.satchelWarmSeconds), ""],
    ["  cold, and the first run after installing (no stripped-TypeScript cache either), one run", s(r.satchelFirstRunSeconds), ""],
    [`full scan, Composer VcsRepository (${r.composerVersions ?? "-"} versions), cold (empty cache)`, r.composerColdSeconds === null ? "php/composer missing" : s(r.composerColdSeconds), ""],
    ["full scan, Composer VcsRepository, warm (its per-commit composer.json cache kept)", r.composerWarmSeconds === null ? "-" : s(r.composerWarmSeconds), ""],
    ["speed-up vs Composer, cold", ratio(r.ratioCold), ">= 20x"],
    ["speed-up vs Composer, warm", ratio(r.ratioWarm), ">= 2x"],
    ["incremental update after one new tag (worker: fetch, scan, new zipball), CPU incl. git", s(r.incrementalCpuSeconds), "<= 0.1 s"],
    ["  its scan (after the fetch), wall", s(r.incrementalSeconds), ""],
    ["  its fetch (local repository), wall", s(r.fetchSeconds), ""],
    ["peak RSS of satchel-git scan", r.peakRssMb === null ? "n/a" : `${r.peakRssMb.toFixed(0)} MB`, "< 200 MB"],
    [`second core? validating all ${r.blobs} distinct composer.json / starting one worker thread with the rules`, `${r.secondCore.validateMs.toFixed(1)} ms / ${r.secondCore.threadMs.toFixed(1)} ms`, "thread only if it pays"],
  ];
  return [`| ${rows[0].join(" | ")} |`, "|---|---|---|", ...rows.slice(1).map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runScanBench();
