// The git worker's scan against Composer's own VcsRepository on the same repository: a full
// `satchel-git scan` (cold: mirror clone included; warm: mirror already there) vs Composer
// (test/differential/vcs-repository-oracle.php, which reads the local repository in place), an
// incremental update after one new tag, and the scan's peak RSS. Prints a table and writes
// bench/scan-results.md. `node bench/scan.ts`, or runScanBench() from bench/run.ts;
// BENCH_QUICK=1 runs a smaller repository once.
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { GitCliDriver } from "../worker-git/src/drivers/git-cli.ts";
import { scanRepository } from "../worker-git/src/scan/scan-repository.ts";
import { RepoBuilder, composerJson, git } from "../worker-git/src/testing/repo-builder.ts";

const BIN = fileURLToPath(new URL("../worker-git/bin/satchel-git.js", import.meta.url));
const ORACLE = fileURLToPath(new URL("../test/differential/vcs-repository-oracle.php", import.meta.url));
const RESULTS = fileURLToPath(new URL("./scan-results.md", import.meta.url));

export interface ScanBenchResults {
  tags: number;
  versions: number;
  satchelColdSeconds: number;
  satchelWarmSeconds: number;
  composerSeconds: number | null;
  composerVersions: number | null;
  ratioCold: number | null;
  ratioWarm: number | null;
  incrementalSeconds: number;
  fetchSeconds: number;
  peakRssMb: number | null;
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];

function timed(run: () => void): number {
  const started = performance.now();
  run();
  return (performance.now() - started) / 1000;
}

/** `majors` x 10 x 10 tags, each with its own composer.json, plus maintenance branches. */
function makeRepository(dir: string, majors: number): number {
  const b = new RepoBuilder();
  let parent: number | null = null;
  let tags = 0;
  for (let major = 1; major <= majors; major++) {
    for (let minor = 0; minor < 10; minor++) {
      for (let patch = 0; patch < 10; patch++) {
        const version = `${major}.${minor}.${patch}`;
        parent = b.commit({
          parent,
          files: {
            "composer.json": composerJson({
              name: "acme/big", description: `Acme ${version}`, license: "MIT", keywords: ["acme", `v${major}`],
              require: { php: `>=7.${minor % 5}`, "psr/log": `^${1 + (major % 3)}.0` },
              autoload: { "psr-4": { "Acme\\Big\\": "src/" } },
            }),
            "src/Version.php": `<?php const VERSION = '${version}';\n`,
          },
        });
        b.tag(major % 2 ? `v${version}` : version, parent, { annotated: patch % 2 === 0 });
        tags++;
      }
    }
    b.branch(`${major}.x`, parent as number);
  }
  b.branch("main", parent as number);
  b.write(dir, "main");
  return tags;
}

function satchelScan(repo: string, cacheDir: string): number {
  const run = spawnSync(process.execPath, [BIN, "scan", repo], { env: { ...process.env, SATCHEL_GIT_CACHE: cacheDir }, maxBuffer: 1024 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`satchel-git scan failed: ${run.stderr}`);
  return (JSON.parse(run.stdout.toString()) as unknown[]).length;
}

function composerScan(repo: string, cacheDir: string): number {
  rmSync(cacheDir, { recursive: true, force: true });
  const run = spawnSync("php", ["-d", "memory_limit=2G", ORACLE], { input: JSON.stringify({ repositories: [repo], cacheDir }), encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`Composer oracle failed: ${run.stderr}`);
  const [reply] = JSON.parse(run.stdout) as Array<{ packages: unknown[] | null; error: string | null }>;
  if (!reply.packages) throw new Error(`Composer: ${reply.error}`);
  return reply.packages.length;
}

/** Peak RSS of one `satchel-git scan` process (GNU time), in MB. */
function peakRss(repo: string, cacheDir: string): number | null {
  if (!existsSync("/usr/bin/time")) return null;
  const run = spawnSync("/usr/bin/time", ["-v", process.execPath, BIN, "scan", repo], { env: { ...process.env, SATCHEL_GIT_CACHE: cacheDir }, encoding: "utf8", maxBuffer: 1024 * 1024 * 1024 });
  const kb = /Maximum resident set size \(kbytes\): (\d+)/.exec(run.stderr)?.[1];
  return kb ? Number(kb) / 1024 : null;
}

/** One new tag, then: the fetch (open) and, separately, the worker's incremental scan. */
async function incremental(repo: string, cacheDir: string, round: number): Promise<{ fetch: number; scan: number }> {
  const driver = new GitCliDriver({ url: repo, cacheDir });
  await driver.open();
  const previous = (await scanRepository(driver, { sourceUrl: repo })).versions.map((v) => v.entry);
  await driver.close();
  const b = new RepoBuilder();
  const main = git(repo, ["rev-parse", "main"]).trim();
  b.tag(`99.0.${round}`, b.commit({ parent: main, files: { "composer.json": composerJson({ name: "acme/big", description: `new ${round}`, license: "MIT" }) } }));
  b.write(repo);
  const fresh = new GitCliDriver({ url: repo, cacheDir });
  try {
    let started = performance.now();
    await fresh.open();
    const fetch = (performance.now() - started) / 1000;
    started = performance.now();
    const result = await scanRepository(fresh, { sourceUrl: repo, previous });
    const scan = (performance.now() - started) / 1000;
    if (result.versions.length !== previous.length + 1) throw new Error("the incremental scan lost or gained versions");
    return { fetch, scan };
  } finally {
    await fresh.close();
  }
}

export async function runScanBench(options: { quick?: boolean; log?: (line: string) => void } = {}): Promise<ScanBenchResults> {
  const log = options.log ?? console.log;
  const quick = options.quick ?? process.env.BENCH_QUICK === "1";
  const rounds = quick ? 1 : 3;
  const work = mkdtempSync(path.join(os.tmpdir(), "satchel-scan-bench-"));
  try {
    const repo = path.join(work, "big");
    const tags = makeRepository(repo, quick ? 3 : 10);
    log(`scan bench: ${tags} tags, ${rounds} round(s) each`);
    let versions = 0;
    const cold = Array.from({ length: rounds }, (_, i) => timed(() => (versions = satchelScan(repo, path.join(work, `cold-${i}`)))));
    const warm = Array.from({ length: rounds }, () => timed(() => satchelScan(repo, path.join(work, "cold-0"))));
    const hasPhp = spawnSync("php", ["-r", "exit(0);"]).status === 0 && existsSync("/usr/share/php/Composer/autoload.php");
    let composerVersions: number | null = null;
    const composer = hasPhp ? Array.from({ length: rounds }, () => timed(() => (composerVersions = composerScan(repo, path.join(work, "composer-cache"))))) : null;
    const steps = [];
    for (let round = 0; round < rounds; round++) steps.push(await incremental(repo, path.join(work, "incremental"), round));
    const results: ScanBenchResults = {
      tags,
      versions,
      satchelColdSeconds: median(cold),
      satchelWarmSeconds: median(warm),
      composerSeconds: composer ? median(composer) : null,
      composerVersions,
      ratioCold: composer ? median(composer) / median(cold) : null,
      ratioWarm: composer ? median(composer) / median(warm) : null,
      incrementalSeconds: median(steps.map((s) => s.scan)),
      fetchSeconds: median(steps.map((s) => s.fetch)),
      peakRssMb: peakRss(repo, path.join(work, "cold-0")),
    };
    const table = report(results);
    log(table);
    writeFileSync(RESULTS, `# Git scan benchmark\n\n${new Date().toISOString().slice(0, 10)}, ${os.cpus()[0]?.model.trim() ?? "unknown CPU"}, Node ${process.version}. Median of ${rounds} run(s). \`node bench/scan.ts\` regenerates this file.\n\n${table}\n`);
    return results;
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function report(r: ScanBenchResults): string {
  const s = (value: number) => `${value.toFixed(3)} s`;
  const rows = [
    ["measure", "result", "target"],
    [`full scan, ${r.tags} tags (${r.versions} versions), satchel-git scan, cold mirror`, s(r.satchelColdSeconds), ""],
    ["full scan, satchel-git scan, warm mirror", s(r.satchelWarmSeconds), ""],
    [`full scan, Composer VcsRepository (${r.composerVersions ?? "-"} versions)`, r.composerSeconds === null ? "php/composer missing" : s(r.composerSeconds), ""],
    ["speed-up vs Composer, cold / warm", r.ratioCold === null ? "-" : `${r.ratioCold.toFixed(1)}x / ${(r.ratioWarm as number).toFixed(1)}x`, ">= 10x"],
    ["incremental update after one new tag (worker, after the fetch)", s(r.incrementalSeconds), "< 0.5 s"],
    ["  the fetch itself (local repository)", s(r.fetchSeconds), ""],
    ["peak RSS of satchel-git scan", r.peakRssMb === null ? "n/a" : `${r.peakRssMb.toFixed(0)} MB`, "< 200 MB"],
  ];
  return [`| ${rows[0].join(" | ")} |`, "|---|---|---|", ...rows.slice(1).map((row) => `| ${row.join(" | ")} |`)].join("\n");
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await runScanBench();
