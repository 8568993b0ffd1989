// npm run bench: every Performance target of the README next to its anchor, in one run.
// Seeds through the public API only, measures with wrk (req/s, latency, server CPU per request),
// prints a summary and writes bench/results.json + bench/RESULTS.md. BENCH_QUICK=1 runs a short
// smoke version (nothing written). BENCH_ONLY=bad-input measures only the bad-input rows (one
// seeded package, on `npm run serve`, or serve:node with BENCH_RUNTIME=node) and prints them
// (nothing written).
import { spawnSync } from "node:child_process";
import { chmod, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { adminToken, assertAuthRequired, uploadAll, uploadInOrder, verifiedP2 } from "./api.ts";
import { runComposerFloorBench } from "./composer-floor.ts";
import { HOT, HOT_VERSIONS, fillerRelease, hotReleases } from "./fixtures.ts";
import { measure, type Load, type Series } from "./measure.ts";
import { startNginxUpstream } from "./proxy.ts";
import { badInputSummary, consoleSummary, markdown, writeResults, type BadInput, type Results, type Tier } from "./report.ts";
import { buildBundle, startBare, startNginx, startNode, startServe, startSingle, startWorkerdDirect, startWrangler, type Runtime, type Server } from "./servers.ts";
import { round } from "./stats.ts";
import { bunBinary } from "../scripts/bun-binary.ts";
import { denoBinary } from "../scripts/deno-binary.ts";
import { badInputTargets, p2Target, type P2 } from "./targets.ts";
import { oneRequestCpu } from "./workerd-cpu.ts";

const quick = process.env.BENCH_QUICK === "1";
const only = process.env.BENCH_ONLY;
if (only !== undefined && only !== "bad-input") throw new Error(`BENCH_ONLY=${only}: the one part that runs alone is "bad-input"`);
const TIERS = quick ? [10, 100] : [10, 1_000, 10_000];
const SECONDS = quick ? 2 : 10;
const ROUNDS = quick ? 1 : 3;
const CORES = os.availableParallelism();
// Every core busy: servers with one process per core, wrk with two threads beside them.
const ALL_CORES: Load = { threads: 2, connections: 64, seconds: SECONDS };
// One server process against one anchor process: wrk gets the other core.
const ONE_PROCESS: Load = { threads: 1, connections: 32, seconds: SECONDS };
// A modest fixed concurrency: latency then reflects service time, not a deep queue.
const LATENCY: Load = { threads: 1, connections: 4, seconds: SECONDS };
const SEED_CONCURRENCY = 16;
// `npm run serve` runs on Bun (scripts/serve-launcher.ts); `npm run serve:node` is measured beside it.
const DEFAULT: Runtime = "bun";
const OTHER: Runtime = "node";
const NAMES: Record<Runtime, string> = { bun: "serve (Bun)", node: "serve:node (Node)", deno: "serve:deno (Deno)" };

for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));

const firstLine = (command: string, args: string[]) => {
  const result = spawnSync(command, args, { encoding: "utf8" });
  return `${result.stdout ?? ""}${result.stderr ?? ""}`.trim().split("\n")[0] ?? `${command}: unknown`;
};
const started = performance.now();
const log = (line: string) => {
  const elapsed = Math.round((performance.now() - started) / 1000);
  console.log(`[${String(Math.floor(elapsed / 60)).padStart(2, "0")}:${String(elapsed % 60).padStart(2, "0")}] ${line}`);
};
async function withServers<T>(starts: (() => Promise<Server>)[], use: (servers: Server[]) => Promise<T>): Promise<T> {
  const servers: Server[] = [];
  try {
    for (const start of starts) servers.push(await start());
    return await use(servers);
  } finally {
    for (const server of servers.reverse()) await server.stop();
  }
}
const ratio = (a: Series, b: Series) => round(a.requestsPerSecond / b.requestsPerSecond, 3);
/** Runs an optional part: its failure is reported in the results, the run goes on and fails at the end. */
let failed = false;
async function attempt<T>(label: string, run: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await run();
  } catch (error) {
    failed = true;
    console.error(`${label} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    return { error: String(error).split("\n")[0]!.slice(0, 200) };
  }
}

const machine = {
  nproc: CORES,
  cpu: os.cpus()[0]?.model.trim() ?? "unknown CPU",
  node: process.version,
  bun: bunBinary().version,
  deno: denoBinary().version,
  nginx: firstLine("nginx", ["-v"]).replace("nginx version: ", ""),
  wrk: firstLine("wrk", ["-v"]).split(" ").slice(0, 2).join(" "),
  kernel: os.release(),
  loadAtStart: round(os.loadavg()[0]!, 2),
  loadAtEnd: 0,
};
const work = await mkdtemp(path.join(os.tmpdir(), "satchel-bench-"));
// nginx workers (nobody) must traverse into the proxy bench's upstream folder.
await chmod(work, 0o755);
const dataDir = path.join(work, "data");
console.log(`Satchel bench${quick ? " (BENCH_QUICK)" : ""}: ${machine.cpu}, ${CORES} cores, Node ${machine.node}, Bun ${machine.bun}, Deno ${machine.deno}, ${machine.nginx}, ${machine.wrk}; load ${machine.loadAtStart}`);
if (machine.loadAtStart > CORES / 4) console.warn(`WARNING: 1-min load average is ${machine.loadAtStart}: other work on the machine makes req/s noisy (ratios and CPU/request less so).`);

if (only === "bad-input") {
  try {
    await measureBadInputAlone();
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  process.exit(0);
}

try {
  let token = "";
  let packageCount = 0;
  const tiers: Tier[] = [];
  for (const packages of TIERS) {
    // Seed on one Node process, then measure on a fresh default server.
    const seed = await withServers([() => startNode(dataDir)], async ([server]) => {
      token ||= await adminToken(server!.url);
      let seconds = 0;
      let uploads = 0;
      if (packageCount === 0) {
        seconds += await uploadInOrder(server!.url, token, hotReleases());
        uploads += HOT_VERSIONS;
        packageCount = 1;
      }
      const fillers = Array.from({ length: packages - packageCount }, (_, i) => fillerRelease(packageCount + i));
      seconds += await uploadAll(server!.url, token, fillers, SEED_CONCURRENCY);
      packageCount = packages;
      return { seconds, uploads: uploads + fillers.length };
    });
    log(`${packages.toLocaleString("en-US")} packages: seeded ${seed.uploads} uploads in ${seed.seconds.toFixed(1)} s`);
    const p2: P2 = { packageName: HOT, versions: HOT_VERSIONS, token };
    const series = await withServers([() => startServe(dataDir, DEFAULT, CORES)], async ([server]) => {
      await assertAuthRequired(server!.url, HOT);
      return (await measure([p2Target(`serve x${CORES} (${packages})`, server!, p2, "gzip")], LATENCY, ROUNDS, "latency"))[0]!;
    });
    tiers.push({ packages, seeded: seed.uploads, seedSeconds: round(seed.seconds, 1), series });
  }
  const p2: P2 = { packageName: HOT, versions: HOT_VERSIONS, token };

  log(`Throughput on every core: npm run serve (Bun) and serve:node, ${CORES} processes each, against nginx with ${CORES} workers`);
  const bytes = await withServers([() => startNode(dataDir)], ([server]) => verifiedP2(server!.url, token, HOT, HOT_VERSIONS));
  const throughput = await withServers(
    [() => startServe(dataDir, DEFAULT, CORES), () => startServe(dataDir, OTHER, CORES), () => startNginx(HOT, bytes, CORES)],
    async ([main, other, nginx]) => {
      const [mainGzip, nginxGzip, mainIdentity, nginxIdentity, otherGzip, otherIdentity] = await measure(
        [
          p2Target(`${NAMES[DEFAULT]} gzip`, main!, p2, "gzip"),
          p2Target("nginx gzip", nginx!, p2, "gzip"),
          p2Target(`${NAMES[DEFAULT]} identity`, main!, p2, "identity"),
          p2Target("nginx identity", nginx!, p2, "identity"),
          p2Target(`${NAMES[OTHER]} gzip`, other!, p2, "gzip"),
          p2Target(`${NAMES[OTHER]} identity`, other!, p2, "identity"),
        ],
        ALL_CORES, ROUNDS, "throughput",
      );
      const badInput = await measureBadInput(main!, p2);
      const proxied = await attempt("proxied p2", () => measureProxied(main!));
      return {
        runtime: DEFAULT,
        gzip: { satchel: mainGzip!, nginx: nginxGzip!, ratio: ratio(mainGzip!, nginxGzip!) },
        identity: { satchel: mainIdentity!, nginx: nginxIdentity!, ratio: ratio(mainIdentity!, nginxIdentity!) },
        other: { runtime: OTHER, gzip: { satchel: otherGzip!, ratio: ratio(otherGzip!, nginxGzip!) }, identity: { satchel: otherIdentity!, ratio: ratio(otherIdentity!, nginxIdentity!) } },
        proxied,
        badInput,
      };
    },
  );

  log("Per-request overhead: one Satchel process against the bare Hono app returning the same bytes");
  const bodyFile = path.join(work, "p2.json");
  await writeFile(bodyFile, bytes);
  await writeFile(`${bodyFile}.gz`, gzipSync(bytes, { level: 6 }));
  const overhead: Results["overhead"] = {} as Results["overhead"];
  for (const runtime of ["bun", "node", "deno"] as Runtime[]) {
    overhead[runtime] = await withServers([() => startSingle(dataDir, runtime), () => startBare(runtime, bodyFile, token)], async ([satchel, bare]) => {
      const [one, anchor] = await measure([p2Target(`Satchel ${runtime} x1`, satchel!, p2, "gzip"), p2Target(`bare Hono ${runtime} x1`, bare!, p2, "gzip")], ONE_PROCESS, ROUNDS, "overhead");
      return { satchel: one!, bare: anchor!, ratio: ratio(one!, anchor!) };
    });
  }

  log("The production bundle on workerd (Miniflare from code, local D1 + R2)");
  const workerd = await attempt("workerd", () => measureWorkerd(path.join(work, "workerd"), throughput.gzip.nginx));
  log("npm start (the Worker on workerd through Miniflare, local D1 + R2)");
  const wrangler = await attempt("npm start", () =>
    withServers([() => startWrangler(path.join(work, "wrangler"))], async ([server]) => {
      const wranglerToken = await adminToken(server!.url);
      await uploadInOrder(server!.url, wranglerToken, hotReleases());
      const [series] = await measure([p2Target("npm start gzip", server!, { ...p2, token: wranglerToken }, "gzip")], ONE_PROCESS, ROUNDS, "wrangler");
      return { series: series!, ratioToNginx: ratio(series!, throughput.gzip.nginx) };
    }),
  );
  log("Cold composer update of 50 packages x 4 versions: npm start against nginx static files");
  const composer = await attempt("composer floor", () => runComposerFloorBench({ rounds: quick ? 1 : 9, log }));

  const p50s = tiers.map((tier) => tier.series.p50);
  const p99s = tiers.map((tier) => tier.series.p99);
  machine.loadAtEnd = round(os.loadavg()[0]!, 2);
  const results: Results = {
    date: new Date().toISOString().slice(0, 10),
    durationSeconds: round((performance.now() - started) / 1000, 0),
    machine,
    p2: { packageName: HOT, versions: HOT_VERSIONS, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 6 }).length },
    loads: { allCores: ALL_CORES, oneProcess: ONE_PROCESS, latency: LATENCY, rounds: ROUNDS },
    throughput,
    overhead,
    workerd,
    wrangler,
    composer,
    latency: { seedConcurrency: SEED_CONCURRENCY, tiers, p50Ratio: round(p50s.at(-1)! / p50s[0]!, 3), p99Ratio: round(p99s.at(-1)! / p99s[0]!, 3) },
  };
  if (!quick) await writeResults(import.meta.dirname, results);
  console.log(`\n${consoleSummary(results)}\n`);
  if (quick) console.log(markdown(results));
  console.log(`Done in ${(results.durationSeconds / 60).toFixed(1)} min${quick ? "" : "; wrote bench/results.json and bench/RESULTS.md"}.`);
} catch (error) {
  console.error(`\nBENCH FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  failed = true;
} finally {
  await rm(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);

async function measureBadInput(server: Server, p2: P2): Promise<BadInput> {
  log("Bad input on the default server, next to the valid p2 request");
  const [valid, malformed, unknownToken, unknownApiToken, unknownName] = await measure([p2Target("valid p2 gzip", server, p2, "gzip"), ...badInputTargets(server, p2)], ALL_CORES, quick ? 1 : 2, "bad input");
  return { valid: valid!, malformed: malformed!, unknownToken: unknownToken!, unknownApiToken: unknownApiToken!, unknownName: unknownName! };
}

/** BENCH_ONLY=bad-input: the hot package on a fresh data folder, then the bad-input rows on `npm run serve`. */
async function measureBadInputAlone(): Promise<void> {
  const token = await withServers([() => startNode(dataDir)], async ([server]) => {
    const admin = await adminToken(server!.url);
    await uploadInOrder(server!.url, admin, hotReleases());
    return admin;
  });
  const runtime: Runtime = process.env.BENCH_RUNTIME === "node" ? "node" : DEFAULT;
  const badInput = await withServers([() => startServe(dataDir, runtime, CORES)], ([server]) => measureBadInput(server!, { packageName: HOT, versions: HOT_VERSIONS, token }));
  console.log(`\n${NAMES[runtime]}, ${CORES} processes:`);
  console.log(`\n${badInputSummary(badInput)}\n`);
}

/** A package mirrored from an upstream (nginx), served by Satchel's proxy, against nginx serving its bytes. */
async function measureProxied(satchel: Server): Promise<{ satchel: Series; nginx: Series; ratio: number }> {
  return withServers([() => startNginxUpstream(path.join(work, "upstream"))], async ([upstream]) => {
    const admin = await adminToken(satchel.url);
    const created = await fetch(`${satchel.url}/api/upstreams`, { method: "POST", headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" }, body: JSON.stringify({ name: "bench", url: upstream!.url }) });
    if (created.status !== 201) throw new Error(`POST /api/upstreams: ${created.status} ${await created.text()}`);
    const mirrored: P2 = { packageName: "bench/pkg-00", versions: 4, token: admin };
    // The other server process forgets its cached upstream list when the primary relays the
    // write (milliseconds): give it that moment.
    await new Promise((resolve) => setTimeout(resolve, 500));
    const bytes = await verifiedP2(satchel.url, admin, mirrored.packageName, mirrored.versions);
    return withServers([() => startNginx(mirrored.packageName, bytes, CORES)], async ([nginx]) => {
      const [proxied, anchor] = await measure([p2Target(`${NAMES[DEFAULT]} proxied p2 gzip`, satchel, mirrored, "gzip"), p2Target("nginx same bytes gzip", nginx!, mirrored, "gzip")], ALL_CORES, ROUNDS, "proxied");
      return { satchel: proxied!, nginx: anchor!, ratio: ratio(proxied!, anchor!) };
    });
  });
}

async function measureWorkerd(dir: string, nginx: Series): Promise<Results["workerd"] & object> {
  buildBundle();
  const seeded = await withServers([() => startWorkerdDirect(dir)], async ([server]) => {
    const workerdToken = await adminToken(server!.url);
    await uploadInOrder(server!.url, workerdToken, hotReleases());
    return workerdToken;
  });
  const p2Workerd: P2 = { packageName: HOT, versions: HOT_VERSIONS, token: seeded };
  const headers = { Authorization: `Bearer ${seeded}`, "Accept-Encoding": "gzip" };
  return withServers([() => startWorkerdDirect(dir)], async ([server]) => {
    // The process's first request creates the isolate, evaluates the bundle, builds the app and
    // checks for the admin; the first p2 then reads D1 (token, package) and R2, and gzips.
    const coldStart = await oneRequestCpu(server!, "/healthz", {});
    const firstP2 = await oneRequestCpu(server!, `/p2/${HOT}.json`, headers);
    const [series] = await measure([p2Target("workerd bundle gzip", server!, p2Workerd, "gzip")], ONE_PROCESS, ROUNDS, "workerd");
    return { series: series!, ratioToNginx: ratio(series!, nginx), coldStart, firstP2 };
  });
}
