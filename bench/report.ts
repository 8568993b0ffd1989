// Turns the measurements into the summary table (console), bench/results.json (every round)
// and bench/RESULTS.md (a markdown section to paste into the README).
import { writeFile } from "node:fs/promises";
import path from "node:path";
import type { Load, Series } from "./measure.ts";

export interface Tier {
  packages: number;
  /** Seconds spent uploading this tier's new packages, and how many that was. */
  seedSeconds: number;
  seeded: number;
  series: Series;
}

export interface Results {
  date: string;
  durationSeconds: number;
  machine: { nproc: number; cpu: string; node: string; nginx: string; wrk: string; kernel: string; loadAtStart: number };
  p2: { packageName: string; versions: number; bytes: number };
  throughput: { load: Load; rounds: number; packages: number; node: Series; nginx: Series; ratio: number };
  wrangler: { load: Load; rounds: number; series: Series; ratioToNginx: number } | { error: string };
  latency: { load: Load; rounds: number; seedConcurrency: number; tiers: Tier[]; p50Ratio: number; p99Ratio: number };
}

const int = (value: number) => Math.round(value).toLocaleString("en-US");
const ms = (value: number) => `${value.toFixed(2)} ms`;
const load = (l: Load) => `wrk -t${l.threads} -c${l.connections}, ${l.seconds} s rounds`;

function summaryRows(r: Results): string[][] {
  const { throughput: t, latency: l } = r;
  const first = l.tiers[0]!;
  const last = l.tiers[l.tiers.length - 1]!;
  const rows = [
    [`p2 req/s, Node server (${int(t.packages)} packages)`, int(t.node.requestsPerSecond), `nginx static: ${int(t.nginx.requestsPerSecond)}`, t.ratio.toFixed(2), ">= 0.5"],
  ];
  if ("error" in r.wrangler) rows.push(["p2 req/s, wrangler dev", "failed", "", "", r.wrangler.error.split("\n")[0]!.slice(0, 80)]);
  else rows.push(["p2 req/s, wrangler dev (dev server, capped by its layers)", int(r.wrangler.series.requestsPerSecond), `nginx static: ${int(t.nginx.requestsPerSecond)}`, r.wrangler.ratioToNginx.toFixed(2), "none (not a production runtime)"]);
  rows.push(
    [`p2 latency p50, ${int(first.packages)} → ${int(last.packages)} packages`, `${ms(first.series.p50)} → ${ms(last.series.p50)}`, "", l.p50Ratio.toFixed(2), "<= 1.2 (flat)"],
    [`p2 latency p99, ${int(first.packages)} → ${int(last.packages)} packages`, `${ms(first.series.p99)} → ${ms(last.series.p99)}`, "", l.p99Ratio.toFixed(2), "<= 1.2 (flat)"],
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
  const t = r.throughput;
  const l = r.latency;
  const m = r.machine;
  const wranglerNote = "error" in r.wrangler ? "wrangler dev failed in this run (see results.json)." : `wrangler dev (workerd, local D1 + R2) gets the same load, ${r.wrangler.rounds} round${r.wrangler.rounds === 1 ? "" : "s"}.`;
  const sizes = l.tiers.map((tier) => int(tier.packages)).join(", ");
  return `## Performance

Measured ${r.date} with \`npm run bench\` (took ${(r.durationSeconds / 60).toFixed(1)} min) on ${m.cpu}, ${m.nproc} cores (nproc), Linux ${m.kernel}, Node ${m.node}, ${m.nginx}, ${m.wrk}; 1-min load average before the run: ${m.loadAtStart}.

${markdownTable(["Measurement", "Satchel", "Anchor", "Ratio", "Target"], summaryRows(r), ["---", "---:", "---:", "---:", "---"])}

p2 latency by catalog size (Node server, ${load(l.load)}, median of ${l.rounds} rounds):

${markdownTable(["Packages in DB", "Seeded through the upload API", "p50", "p99", "req/s"], tierRows(r), ["---:", "---:", "---:", "---:", "---:"])}

Method: one package \`${r.p2.packageName}\` with ${r.p2.versions} versions (p2 document ${(r.p2.bytes / 1024).toFixed(1)} KiB) plus filler packages, all uploaded through \`PUT /api/packages/upload\` and served to an admin API token (\`Authorization: Bearer\`) with \`Accept-Encoding: gzip\` as Composer sends it (Satchel gzips each document once); nginx (1 worker, sendfile, gzip_static) serves the very same bytes as a static file with a pre-compressed copy, and gets the same headers.
Throughput: ${load(t.load)}, ${t.rounds} rounds per server (Node and nginx interleaved) after a 3 s warm-up, median req/s. Each server (Node: one process; nginx: one worker) shares the machine's ${m.nproc} cores with wrk, so absolute figures are lower than on separate hosts; the ratio is the point. ${wranglerNote}
Latency: a freshly started Node server per catalog size (${sizes} packages in one libSQL file, filled up between sizes; the hot package's versions uploaded one at a time, fillers ${l.seedConcurrency} at a time), ${load(l.load)}, median of the rounds' wrk \`--latency\` p50/p99.
Every round first checks for a 200 with a p2 JSON listing all ${r.p2.versions} versions, any non-2xx/3xx answer in wrk's report aborts the run, and a round with socket errors is repeated once, then aborts.
`;
}

export function consoleSummary(r: Results): string {
  const widths = (rows: string[][]) => rows[0]!.map((_, i) => Math.max(...rows.map((row) => row[i]!.length)));
  const table = (rows: string[][]) => {
    const w = widths(rows);
    return rows.map((row) => row.map((cell, i) => cell.padEnd(w[i]!)).join("  ")).join("\n");
  };
  return [
    table([["Measurement", "Satchel", "Anchor", "Ratio", "Target"], ...summaryRows(r)]),
    "",
    table([["Packages", "Seeded", "p50", "p99", "req/s"], ...tierRows(r)]),
  ].join("\n");
}

export async function writeResults(dir: string, results: Results): Promise<void> {
  await writeFile(path.join(dir, "results.json"), JSON.stringify(results, null, 2) + "\n");
  await writeFile(path.join(dir, "RESULTS.md"), markdown(results));
}
