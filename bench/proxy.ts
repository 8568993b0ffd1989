// The proxy bench (issue 6): `composer update` of a project with 50 upstream packages, through
// Satchel's proxy vs straight from the same upstream (a static Composer repository served by
// nginx on 127.0.0.1). Warm: both Composer caches and Satchel's mirror are warm (Composer then
// revalidates every p2 file with If-Modified-Since); cold: fresh caches everywhere. Also reports
// the mirror's hit ratio and the upstream requests it saved.
// Run alone with `node bench/proxy.ts` (BENCH_QUICK=1 for fewer rounds), or call runProxyBench().
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { StaticUpstream } from "../test/support/static-upstream.ts";
import { adminToken } from "./api.ts";
import { composerProject as project, composerUpdate } from "./composer.ts";
import { freePort, startNode, startStaticNginx, type Server } from "./servers.ts";
import { median, round } from "./stats.ts";

export interface ProxyBenchResult {
  packages: number;
  rounds: number;
  warm: { directMs: number; satchelMs: number; ratio: number; directRounds: number[]; satchelRounds: number[] };
  cold: { directMs: number; satchelMs: number; ratio: number };
  cache: { served: number; hits: number; misses: number; hitRatio: number; upstreamRequests: number; upstreamRequestsSaved: number; cold: Counters; warm: Counters };
  target: string;
}

const PACKAGES = 50;

/** Mirror counters of one phase: requests served (p2 and archives), from cache, sent upstream. */
export interface Counters {
  served: number;
  hits: number;
  upstreamRequests: number;
}

export async function runProxyBench(options: { rounds?: number; log?: (line: string) => void } = {}): Promise<ProxyBenchResult> {
  const rounds = options.rounds ?? 7;
  const log = options.log ?? ((line: string) => console.log(line));
  const work = await mkdtemp(path.join(tmpdir(), "satchel-proxy-bench-"));
  // nginx workers (nobody) must traverse into the upstream's folder.
  await chmod(work, 0o755);
  const stops: (() => Promise<void>)[] = [];
  try {
    const nginx = await startNginxUpstream(path.join(work, "upstream"));
    stops.push(nginx.stop);
    log(`upstream: nginx serving ${PACKAGES} packages at ${nginx.url}`);
    const satchel = await startNode(path.join(work, "satchel"));
    stops.push(satchel.stop);
    const token = await adminToken(satchel.url);
    const created = await api(satchel, token, "POST", "/api/upstreams", { name: "bench-upstream", url: nginx.url });
    const require = Object.fromEntries(Array.from({ length: PACKAGES }, (_, i) => [packageName(i), "*"]));
    const direct = await project(path.join(work, "direct"), nginx.url, require);
    const viaSatchel = await project(path.join(work, "satchel-project"), satchel.url, require, { username: "admin", token });

    log("cold: fresh Composer caches, empty mirror…");
    const coldDirect = await composerUpdate(direct);
    const coldSatchel = await composerUpdate(viaSatchel);
    log(`  direct ${coldDirect.toFixed(0)} ms, through Satchel ${coldSatchel.toFixed(0)} ms`);
    const afterCold = (await api(satchel, token, "GET", `/api/upstreams/${String(created.id)}`)).stats as Record<string, number>;

    const directRounds: number[] = [];
    const satchelRounds: number[] = [];
    // Interleaved, so drift on the machine hits both alike.
    for (let i = 0; i < rounds; i++) {
      directRounds.push(await composerUpdate(direct));
      satchelRounds.push(await composerUpdate(viaSatchel));
      log(`  warm round ${i + 1}/${rounds}: direct ${directRounds.at(-1)?.toFixed(0)} ms, through Satchel ${satchelRounds.at(-1)?.toFixed(0)} ms`);
    }
    const stats = (await api(satchel, token, "GET", `/api/upstreams/${String(created.id)}`)).stats as Record<string, number>;
    const served = stats.hits + stats.misses;
    const phase = (from: Record<string, number>, to: Record<string, number>): Counters => ({
      served: to.hits + to.misses - (from.hits + from.misses),
      hits: to.hits - from.hits,
      upstreamRequests: to.upstreamRequests - from.upstreamRequests,
    });
    const zero = { hits: 0, misses: 0, upstreamRequests: 0 };
    const warm = { directMs: round(median(directRounds), 0), satchelMs: round(median(satchelRounds), 0), directRounds, satchelRounds, ratio: 0 };
    warm.ratio = round(warm.satchelMs / warm.directMs, 3);
    return {
      packages: PACKAGES,
      rounds,
      warm,
      cold: { directMs: round(coldDirect, 0), satchelMs: round(coldSatchel, 0), ratio: round(coldSatchel / coldDirect, 3) },
      cache: { served, hits: stats.hits, misses: stats.misses, hitRatio: round(stats.hits / Math.max(1, served), 3), upstreamRequests: stats.upstreamRequests, upstreamRequestsSaved: served - stats.upstreamRequests, cold: phase(zero, afterCold), warm: phase(afterCold, stats) },
      target: "warm ratio <= 1.2",
    };
  } finally {
    for (const stop of stops.reverse()) await stop().catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
}

export function proxyMarkdown(result: ProxyBenchResult): string {
  return `| Measurement (${result.packages} upstream packages, median of ${result.rounds}) | Through Satchel | Direct from upstream | Ratio | Target |
| --- | ---: | ---: | ---: | --- |
| warm \`composer update\` | ${result.warm.satchelMs} ms | ${result.warm.directMs} ms | ${result.warm.ratio} | <= 1.2 |
| cold \`composer update\` (first run, empty caches) | ${result.cold.satchelMs} ms | ${result.cold.directMs} ms | ${result.cold.ratio} | reported |

Mirror (p2 documents and archives): ${result.cache.served} requests served, ${result.cache.hits} from the cache (hit ratio ${result.cache.hitRatio}), ${result.cache.upstreamRequests} requests sent upstream: ${result.cache.upstreamRequestsSaved} upstream requests saved. Cold run: ${result.cache.cold.served} served, ${result.cache.cold.upstreamRequests} upstream requests; warm runs: ${result.cache.warm.served} served, ${result.cache.warm.hits} from the cache, ${result.cache.warm.upstreamRequests} upstream requests.`;
}

const packageName = (i: number) => `bench/pkg-${String(i).padStart(2, "0")}`;

/** The 50 packages of 4 versions both Composer benches install (every fifth requires the next one on 1.x). */
export function benchPackages(): { name: string; versions: { version: string; require: Record<string, string> }[] }[] {
  return Array.from({ length: PACKAGES }, (_, i) => {
    const require = i < PACKAGES - 1 && i % 5 === 0 ? { [packageName(i + 1)]: "^1.0" } : {};
    return { name: packageName(i), versions: ["1.0.0", "1.1.0", "1.2.0", "2.0.0"].map((version) => ({ version, require: version.startsWith("1") ? require : {} })) };
  });
}

/** nginx serving benchPackages() as a static Composer repository (packages.json, p2, zips). */
export async function startNginxUpstream(dir: string): Promise<Server> {
  const port = await freePort();
  const upstream = new StaticUpstream(`http://127.0.0.1:${port}`);
  for (const { name, versions } of benchPackages()) await upstream.addPackage(name, versions);
  const www = path.join(dir, "www");
  for (const [file, body] of upstream.files()) {
    await mkdir(path.dirname(path.join(www, file)), { recursive: true });
    await writeFile(path.join(www, file), body);
  }
  return { ...(await startStaticNginx(dir, port)), name: "nginx upstream" };
}

async function api(server: Server, token: string, method: string, route: string, body?: unknown): Promise<Record<string, unknown>> {
  const response = await fetch(`${server.url}${route}`, { method, headers: { authorization: `Bearer ${token}`, "content-type": "application/json" }, body: body === undefined ? undefined : JSON.stringify(body) });
  if (response.status >= 300) throw new Error(`${method} ${route}: ${response.status} ${await response.text()}`);
  return (await response.json()) as Record<string, unknown>;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => process.exit(130));
  const result = await runProxyBench({ rounds: process.env.BENCH_QUICK === "1" ? 3 : 7 });
  console.log(`\n${proxyMarkdown(result)}\n`);
  if (process.env.BENCH_QUICK !== "1") {
    await writeFile(path.join(import.meta.dirname, "proxy-results.json"), `${JSON.stringify({ date: new Date().toISOString().slice(0, 10), ...result }, null, 2)}\n`);
    await writeFile(path.join(import.meta.dirname, "PROXY-RESULTS.md"), `## Proxy\n\nMeasured ${new Date().toISOString().slice(0, 10)} with \`node bench/proxy.ts\`.\n\n${proxyMarkdown(result)}\n`);
  }
  process.exit(result.warm.ratio <= 1.2 ? 0 : 1);
}
