// npm run bench: Satchel's p2 endpoint against nginx serving the same bytes (DESIGN.md,
// Performance). Seeds through the public API only, measures with wrk, prints a summary and
// writes bench/results.json + bench/RESULTS.md. BENCH_QUICK=1 runs a short smoke version.
import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { adminToken, assertAuthRequired, uploadAll, uploadInOrder, verifiedP2 } from "./api.ts";
import { HOT, HOT_VERSIONS, fillerRelease, hotReleases } from "./fixtures.ts";
import { measure, type Load } from "./measure.ts";
import { consoleSummary, markdown, writeResults, type Results, type Tier } from "./report.ts";
import { startNginx, startNode, startWrangler, type Server } from "./servers.ts";
import { round } from "./stats.ts";

const quick = process.env.BENCH_QUICK === "1";
const TIERS = quick ? [10, 100, 300] : [10, 1_000, 10_000];
const SECONDS = quick ? 3 : 10;
// -c32 saturates one Node process without drowning it; wrk gets one thread (the other core).
const THROUGHPUT: Load = { threads: 1, connections: 32, seconds: SECONDS };
const THROUGHPUT_ROUNDS = quick ? 2 : 5;
// A modest fixed concurrency: latency then reflects service time, not a deep queue.
const LATENCY: Load = { threads: 1, connections: 4, seconds: SECONDS };
const LATENCY_ROUNDS = quick ? 2 : 3;
const WRANGLER_ROUNDS = quick ? 1 : 3;
const SEED_CONCURRENCY = 16;

// Ctrl-C must still stop every server (their process groups are killed on "exit").
for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

function firstLine(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n")[0] ?? `${command}: unknown`;
}

function machineFacts(): Omit<Results["machine"], "loadAtStart"> {
  return {
    nproc: Number(firstLine("nproc", [])) || os.availableParallelism(),
    cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
    node: process.version,
    nginx: firstLine("nginx", ["-v"]).replace("nginx version: ", ""),
    wrk: firstLine("wrk", ["-v"]).split(" ").slice(0, 2).join(" "),
    kernel: os.release(),
  };
}

async function withServer<T>(start: () => Promise<Server>, use: (server: Server) => Promise<T>): Promise<T> {
  const server = await start();
  try {
    return await use(server);
  } finally {
    await server.stop();
  }
}

const started = performance.now();
// Elapsed time on every progress line, to see where a run's minutes go.
const log = (line: string) => {
  const elapsed = Math.round((performance.now() - started) / 1000);
  console.log(`[${String(Math.floor(elapsed / 60)).padStart(2, "0")}:${String(elapsed % 60).padStart(2, "0")}] ${line}`);
};
const machine = machineFacts();
const work = await mkdtemp(path.join(os.tmpdir(), "satchel-bench-"));
const nodeDir = path.join(work, "node");
console.log(`Satchel bench${quick ? " (BENCH_QUICK)" : ""}: ${machine.cpu}, ${machine.nproc} cores, Node ${machine.node}, ${machine.nginx}, ${machine.wrk}`);
console.log(`Server and wrk share these ${machine.nproc} cores. Work dir: ${work}`);
// Other work on the machine skews every figure (ratios less so, as rounds interleave): say so.
const loadAtStart = round(os.loadavg()[0]!, 2);
if (loadAtStart > machine.nproc / 4) console.warn(`WARNING: 1-min load average is ${loadAtStart} before the run: other work on the machine may make figures noisy.`);

let exitCode = 0;
try {
  let token = "";
  let packageCount = 0;
  const tiers: Tier[] = [];
  let throughput: Results["throughput"] | undefined;
  let p2Bytes = 0;

  for (const packages of TIERS) {
    // Seed on one server process, then measure on a fresh one: seeding garbage and
    // cold-start effects stay out of the figures.
    log(`seeding up to ${packages.toLocaleString("en-US")} packages…`);
    const seed = await withServer(() => startNode(nodeDir), async (server) => {
      token ||= await adminToken(server.url);
      let seconds = 0;
      let uploads = 0;
      if (packageCount === 0) {
        seconds += await uploadInOrder(server.url, token, hotReleases());
        uploads += HOT_VERSIONS;
        packageCount = 1;
      }
      const fillers = Array.from({ length: packages - packageCount }, (_, i) => fillerRelease(packageCount + i));
      seconds += await uploadAll(server.url, token, fillers, SEED_CONCURRENCY);
      uploads += fillers.length;
      packageCount = packages;
      return { seconds, uploads };
    });
    log(`${packages.toLocaleString("en-US")} packages: seeded ${seed.uploads} uploads in ${seed.seconds.toFixed(1)} s (${Math.round(seed.uploads / seed.seconds)}/s, ${SEED_CONCURRENCY} concurrent for fillers)`);

    await withServer(() => startNode(nodeDir), async (node) => {
      await assertAuthRequired(node.url, HOT);
      const target = { server: node, packageName: HOT, versions: HOT_VERSIONS, token };
      const [series] = await measure([target], LATENCY, LATENCY_ROUNDS, "latency");
      tiers.push({ packages, seeded: seed.uploads, seedSeconds: round(seed.seconds, 1), series: series! });
      if (packages !== TIERS[TIERS.length - 1]) return;
      // Throughput on the biggest catalog, against nginx serving the bytes Node just served.
      const bytes = await verifiedP2(node.url, token, HOT, HOT_VERSIONS);
      p2Bytes = bytes.length;
      await withServer(() => startNginx(HOT, bytes), async (nginx) => {
        const served = await verifiedP2(nginx.url, token, HOT, HOT_VERSIONS);
        if (Buffer.compare(served, bytes) !== 0) throw new Error("nginx does not serve the same bytes as Satchel");
        const nginxTarget = { ...target, server: nginx };
        log(`Throughput: Node vs nginx, ${p2Bytes} byte p2 document`);
        const [nodeSeries, nginxSeries] = await measure([target, nginxTarget], THROUGHPUT, THROUGHPUT_ROUNDS, "throughput");
        throughput = {
          load: THROUGHPUT,
          rounds: THROUGHPUT_ROUNDS,
          packages,
          node: nodeSeries!,
          nginx: nginxSeries!,
          ratio: round(nodeSeries!.requestsPerSecond / nginxSeries!.requestsPerSecond, 3),
        };
      });
    });
  }
  if (!throughput) throw new Error("no throughput measured");

  let wrangler: Results["wrangler"];
  try {
    log("wrangler dev: starting and uploading the hot package…");
    wrangler = await withServer(() => startWrangler(path.join(work, "wrangler")), async (server) => {
      const wranglerToken = await adminToken(server.url);
      const seconds = await uploadInOrder(server.url, wranglerToken, hotReleases());
      log(`${HOT_VERSIONS} uploads in ${seconds.toFixed(1)} s`);
      await assertAuthRequired(server.url, HOT);
      const target = { server, packageName: HOT, versions: HOT_VERSIONS, token: wranglerToken };
      const [series] = await measure([target], THROUGHPUT, WRANGLER_ROUNDS, "wrangler");
      return { load: THROUGHPUT, rounds: WRANGLER_ROUNDS, series: series!, ratioToNginx: round(series!.requestsPerSecond / throughput!.nginx.requestsPerSecond, 3) };
    });
  } catch (error) {
    // Keep the Node figures; the run still fails at the end.
    console.error(`wrangler dev measurement failed: ${String(error)}`);
    wrangler = { error: String(error) };
    exitCode = 1;
  }

  const p50s = tiers.map((tier) => tier.series.p50);
  const p99s = tiers.map((tier) => tier.series.p99);
  const results: Results = {
    date: new Date().toISOString().slice(0, 10),
    durationSeconds: round((performance.now() - started) / 1000, 0),
    machine: { ...machine, loadAtStart },
    p2: { packageName: HOT, versions: HOT_VERSIONS, bytes: p2Bytes },
    throughput,
    wrangler,
    latency: {
      load: LATENCY,
      rounds: LATENCY_ROUNDS,
      seedConcurrency: SEED_CONCURRENCY,
      tiers,
      p50Ratio: round(p50s[p50s.length - 1]! / p50s[0]!, 3),
      p99Ratio: round(p99s[p99s.length - 1]! / p99s[0]!, 3),
    },
  };
  // A smoke run must not overwrite the real figures.
  if (!quick) await writeResults(import.meta.dirname, results);
  console.log(`\n${consoleSummary(results)}\n`);
  if (quick) console.log(markdown(results));
  console.log(`Done in ${(results.durationSeconds / 60).toFixed(1)} min${quick ? "" : "; wrote bench/results.json and bench/RESULTS.md"}.`);
} catch (error) {
  console.error(`\nBENCH FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  exitCode = 1;
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exit(exitCode);
