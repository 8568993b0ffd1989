// Turns the measurements into the summary table (console), bench/results.json (every round)
// and bench/RESULTS.md (the README's Performance section).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { ComposerFloorResult } from "./composer-floor.ts";
import type { Load, Series } from "./measure.ts";

export interface Tier {
  packages: number;
  /** Seconds spent uploading this tier's new packages, and how many that was. */
  seedSeconds: number;
  seeded: number;
  series: Series;
}

type Failed = { error: string };
interface Pair {
  satchel: Series;
  nginx: Series;
  ratio: number;
}
interface CpuOfOne {
  cpuMs: number;
  wallMs: number;
  status: number;
}

/** The bad-input rows (bench/targets.ts badInputTargets), each next to a valid p2 in the same run. */
export interface BadInput {
  valid: Series;
  malformed: Series;
  /** A JWT-shaped token with a forged signature. */
  unknownToken: Series;
  /** A well-formed `satchel_` token (its checksum matches) that was never issued. */
  unknownApiToken: Series;
  unknownName: Series;
}

export interface Results {
  date: string;
  durationSeconds: number;
  machine: { nproc: number; cpu: string; node: string; bun: string; deno: string; nginx: string; wrk: string; kernel: string; loadAtStart: number; loadAtEnd: number };
  p2: { packageName: string; versions: number; bytes: number; gzipBytes: number };
  loads: { allCores: Load; oneProcess: Load; latency: Load; rounds: number };
  throughput: {
    gzip: Pair;
    identity: Pair;
    /** The runtime `npm run serve` uses, and the other one (serve:bun or serve:node) against the same nginx. */
    runtime: "bun" | "node";
    other: { runtime: "bun" | "node"; gzip: { satchel: Series; ratio: number }; identity: { satchel: Series; ratio: number } };
    proxied: Pair | Failed;
    badInput: BadInput;
  };
  overhead: Record<"bun" | "node" | "deno", { satchel: Series; bare: Series; ratio: number }>;
  workerd: { series: Series; ratioToNginx: number; coldStart: CpuOfOne; firstP2: CpuOfOne } | Failed;
  wrangler: { series: Series; ratioToNginx: number } | Failed;
  composer: ComposerFloorResult | Failed;
  latency: { seedConcurrency: number; tiers: Tier[]; p50Ratio: number; p99Ratio: number };
}

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(2)} ms`;
const cpu = (s: Series) => (s.cpuMicrosPerRequest === null ? "" : ` (${s.cpuMicrosPerRequest.toFixed(1)} µs CPU/req)`);
const rps = (s: Series) => `${int(s.requestsPerSecond)} req/s${cpu(s)}`;
const load = (l: Load) => `wrk -t${l.threads} -c${l.connections}, ${l.seconds} s rounds`;
const failedRow = (label: string, failed: Failed, target: string) => [label, "failed", "", "", `${target}; ${failed.error.slice(0, 80)}`];

function summaryRows(r: Results): string[][] {
  const { throughput: t, overhead: o, latency: l } = r;
  const n = r.machine.nproc;
  const first = l.tiers[0]!;
  const last = l.tiers.at(-1)!;
  const serve = (runtime: "bun" | "node") => (runtime === "bun" ? `npm run serve (Bun, ${n} processes)` : `npm run serve:node (Node, ${n} processes)`);
  const rows = [
    [`p2 gzip, ${serve(t.runtime)}`, rps(t.gzip.satchel), `nginx ${n} workers: ${rps(t.gzip.nginx)}`, t.gzip.ratio.toFixed(2), ">= 0.8 (aim 1.0)"],
    [`p2 identity, ${serve(t.runtime)}`, rps(t.identity.satchel), `nginx ${n} workers: ${rps(t.identity.nginx)}`, t.identity.ratio.toFixed(2), ">= 0.8 (aim 1.0)"],
    [`p2 gzip, ${serve(t.other.runtime)}`, rps(t.other.gzip.satchel), `nginx ${n} workers: ${rps(t.gzip.nginx)}`, t.other.gzip.ratio.toFixed(2), "reported"],
    [`p2 identity, ${serve(t.other.runtime)}`, rps(t.other.identity.satchel), `nginx ${n} workers: ${rps(t.identity.nginx)}`, t.other.identity.ratio.toFixed(2), "reported"],
    "error" in t.proxied ? failedRow("proxied p2 gzip", t.proxied, ">= 0.8") : [`proxied p2 gzip, npm run serve`, rps(t.proxied.satchel), `nginx, same bytes: ${rps(t.proxied.nginx)}`, t.proxied.ratio.toFixed(2), ">= 0.8"],
    ...(["bun", "node", "deno"] as const).map((runtime) => [`p2 gzip, one Satchel process (${runtime})`, rps(o[runtime].satchel), `bare Hono (${runtime}): ${rps(o[runtime].bare)}`, o[runtime].ratio.toFixed(2), ">= 0.87 (within 15%)"]),
    ...badInputRows(t.badInput),
  ];
  if ("error" in r.workerd) rows.push(failedRow("p2 gzip, production bundle on workerd", r.workerd, "reported"));
  else {
    rows.push(
      ["p2 gzip, production bundle on workerd (1 process)", rps(r.workerd.series), `nginx ${n} workers: ${rps(t.gzip.nginx)}`, r.workerd.ratioToNginx.toFixed(2), "reported"],
      ["workerd CPU, cold start: a new process's first request (isolate, bundle, app, admin check)", `${r.workerd.coldStart.cpuMs.toFixed(2)} ms`, "Free plan limit: 10 ms", (r.workerd.coldStart.cpuMs / 10).toFixed(2), "reported (startup has its own limit)"],
      ["workerd CPU, first p2 request (token and package from D1, document from R2, gzip)", `${r.workerd.firstP2.cpuMs.toFixed(2)} ms`, "Free plan limit: 10 ms", (r.workerd.firstP2.cpuMs / 10).toFixed(2), "< 1"],
      ["workerd CPU, warm p2 request (under load)", `${((r.workerd.series.cpuMicrosPerRequest ?? 0) / 1000).toFixed(3)} ms`, "Free plan limit: 10 ms", ((r.workerd.series.cpuMicrosPerRequest ?? 0) / 10_000).toFixed(3), "< 1"],
    );
  }
  if ("error" in r.wrangler) rows.push(failedRow("p2 gzip, npm start", r.wrangler, "reported"));
  else rows.push(["p2 gzip, npm start (workerd through Miniflare, 1 process)", rps(r.wrangler.series), `nginx ${n} workers: ${rps(t.gzip.nginx)}`, r.wrangler.ratioToNginx.toFixed(2), "reported"]);
  if ("error" in r.composer) rows.push(failedRow("cold composer update, npm start", r.composer, "<= 1.1"));
  else rows.push([`cold composer update, ${r.composer.packages} packages x ${r.composer.versions}, npm start`, `${int(r.composer.satchelMs)} ms`, `nginx static files: ${int(r.composer.nginxMs)} ms`, r.composer.ratio.toFixed(2), "<= 1.1"]);
  rows.push(
    [`p2 latency p50, ${int(first.packages)} → ${int(last.packages)} packages (npm run serve)`, `${ms(first.series.p50)} → ${ms(last.series.p50)}`, "", l.p50Ratio.toFixed(2), "<= 1.2 (flat)"],
    [`p2 latency p99, ${int(first.packages)} → ${int(last.packages)} packages (npm run serve)`, `${ms(first.series.p99)} → ${ms(last.series.p99)}`, "", l.p99Ratio.toFixed(2), "<= 1.2 (flat)"],
  );
  return rows;
}

function tierRows(r: Results): string[][] {
  return r.latency.tiers.map((tier) => [
    int(tier.packages),
    tier.seeded ? `${int(tier.seeded)} uploads in ${tier.seedSeconds.toFixed(1)} s (${int(tier.seeded / tier.seedSeconds)}/s)` : "-",
    ms(tier.series.p50),
    ms(tier.series.p99),
    int(tier.series.requestsPerSecond),
  ]);
}

function markdownTable(header: string[], rows: string[][], align: string[]): string {
  const line = (cells: string[]) => `| ${cells.join(" | ")} |`;
  return [line(header), line(align), ...rows.map(line)].join("\n");
}

export function markdown(r: Results): string {
  const m = r.machine;
  return `## Performance

Measured ${r.date} with \`npm run bench\` (took ${(r.durationSeconds / 60).toFixed(1)} min) on ${m.cpu}, ${m.nproc} cores (nproc), Linux ${m.kernel}, Node ${m.node}, Bun ${m.bun}, Deno ${m.deno}, ${m.nginx}, ${m.wrk}; 1-min load average ${m.loadAtStart} before the run and ${m.loadAtEnd} after (the machine was shared).

${markdownTable(["Measurement", "Satchel", "Anchor", "Ratio", "Target"], summaryRows(r), ["---", "---:", "---:", "---:", "---"])}

p2 latency by catalog size (\`npm run serve\`, ${m.nproc} processes, ${load(r.loads.latency)}, median of ${r.loads.rounds} rounds):

${markdownTable(["Packages in DB", "Seeded through the upload API", "p50", "p99", "req/s"], tierRows(r), ["---:", "---:", "---:", "---:", "---:"])}

Method: one package \`${r.p2.packageName}\` with ${r.p2.versions} versions (p2 document ${(r.p2.bytes / 1024).toFixed(1)} KiB, ${(r.p2.gzipBytes / 1024).toFixed(1)} KiB gzipped) plus filler packages, all uploaded through \`PUT /api/packages/upload\` and served to an admin API token (\`Authorization: Bearer\`), with \`Accept-Encoding: gzip\` as Composer sends it or without it (identity). nginx (sendfile, gzip_static) serves the very same bytes as a static file with a pre-compressed copy, and gets the same headers; the bare Hono app (bench/bare-app.ts) returns them after a token Map lookup.
Every-core rows: ${load(r.loads.allCores)}, servers with one process (or worker) per core; one-process rows: ${load(r.loads.oneProcess)}. ${r.loads.rounds} rounds per server, interleaved, after a 3 s warm-up; median req/s. Server and wrk share the machine's ${m.nproc} cores, so absolute figures are lower than on separate hosts: the ratio is the point. CPU/req is the server's whole process group's CPU time (/proc) over the requests it answered, which other work on the machine hardly moves.
The bad-input rows run against \`npm run serve\`; the failing address is rate-limited (401, then 429) while the valid token keeps its 200s (checked before every round).
workerd: \`npm run build\`'s dist/worker.js on workerd through Miniflare from code (bench/workerd-direct.ts), local D1 and R2, no wrangler; CPU is the workerd process's own (its HTTP layer and local D1/R2 included), so an upper bound on the Worker CPU time Cloudflare bills.
Latency: a freshly started \`npm run serve\` per catalog size (filled up between sizes; fillers uploaded ${r.latency.seedConcurrency} at a time), median of the rounds' wrk \`--latency\` p50/p99.
Every round first checks for the expected answer (a 200 with a p2 JSON listing all versions, or the expected 4xx); any other answer aborts the run, and a round with socket errors is repeated once, then aborts.
`;
}

export function badInputRows(b: BadInput): string[][] {
  const row = (label: string, s: Series) => [`bad input: ${label}`, rps(s), `valid p2: ${rps(b.valid)}`, (s.requestsPerSecond / b.valid.requestsPerSecond).toFixed(2), ">= 1 (as fast)"];
  return [
    row("malformed Authorization", b.malformed),
    row("unknown token, forged JWT (401, then 429)", b.unknownToken),
    row("unknown token, well-formed satchel_ (401, then 429)", b.unknownApiToken),
    row("unknown package (404)", b.unknownName),
  ];
}

const widths = (rows: string[][]) => rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
const table = (rows: string[][]) => {
  const w = widths(rows);
  return rows.map((row) => row.map((cell, i) => cell.padEnd(w[i]!)).join("  ")).join("\n");
};
const SUMMARY_HEADER = ["Measurement", "Satchel", "Anchor", "Ratio", "Target"];

export function consoleSummary(r: Results): string {
  return [table([SUMMARY_HEADER, ...summaryRows(r)]), "", table([["Packages", "Seeded", "p50", "p99", "req/s"], ...tierRows(r)])].join("\n");
}

/** BENCH_ONLY=bad-input: the bad-input rows alone. */
export function badInputSummary(b: BadInput): string {
  return table([SUMMARY_HEADER, ...badInputRows(b)]);
}

export async function writeResults(dir: string, results: Results): Promise<void> {
  await writeFile(path.join(dir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  await writeFile(path.join(dir, "RESULTS.md"), markdown(results));
}
