// The two requests that close every `composer update` and that Composer waits for, one after the
// other: the notify-batch (`POST /downloads/`) and `composer audit` (`POST /api/security-advisories`),
// on a bundle on workerd (bench/workerd-direct.ts, no wrangler), after the run's packages.json,
// p2 and zipball requests. Wall milliseconds of each, median over the runs, and any request over
// 10 ms with when it came (the statistics flush every SATCHEL_STATS_FLUSH_MS shows up there).
// `node bench/workerd-closing-requests.ts <bundle.js> [runs]` (build with `npm run build`).
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { benchPackages } from "./proxy.ts";
import { startWorkerdDirect } from "./servers.ts";
import { median } from "./stats.ts";
import { composerRequests, send } from "./workerd-requests.ts";

const [bundle, runs = "12"] = process.argv.slice(2);
if (!bundle) throw new Error("usage: node bench/workerd-closing-requests.ts <bundle.js> [runs]");
process.env.WORKERD_SCRIPT = path.resolve(bundle);
const server = await startWorkerdDirect(path.join(await mkdtemp(path.join(tmpdir(), "workerd-closing-")), "data"));
try {
  const { headers, kinds } = await composerRequests(server.url);
  const names = benchPackages().map((pkg) => pkg.name);
  const started = performance.now();
  const timed = async (what: string, init: RequestInit) => {
    const sent = performance.now();
    const response = await fetch(server.url + what, init);
    await response.arrayBuffer();
    if (response.status >= 300) throw new Error(`${what}: ${response.status}`);
    const ms = performance.now() - sent;
    if (ms > 10) console.log(`  ${what} took ${ms.toFixed(1)} ms, ${((sent - started) / 1000).toFixed(2)} s in`);
    return ms;
  };
  const notify = (version: string) => timed("/downloads/", { method: "POST", headers: { ...headers, "content-type": "application/json" }, body: JSON.stringify({ downloads: names.map((name) => ({ name, version, downloaded: true })) }) });
  const audit = () => timed("/api/security-advisories", { method: "POST", headers: { ...headers, "content-type": "application/x-www-form-urlencoded" }, body: names.map((name) => `packages[]=${encodeURIComponent(name)}`).join("&") });
  const pause = () => new Promise((resolve) => setTimeout(resolve, 300));
  const results = new Map<string, number[]>();
  const add = (what: string, ms: number) => results.set(what, [...(results.get(what) ?? []), ms]);
  for (let run = 0; run < Number(runs); run++) {
    await send(server.url, ["/packages.json"], headers);
    for (const [kind, paths] of kinds) if (kind === "p2" || kind === "zipball") await send(server.url, paths, headers);
    // A version not notified before: its downloads are new, as a new client's are.
    add("notify (new downloads)", await notify(`9.${run}.0.0`));
    add("audit right after it", await audit());
    await pause();
    add("audit alone", await audit());
    add("notify (counted already)", await notify(`9.${run}.0.0`));
    add("audit right after it ", await audit());
    await pause();
  }
  for (const [what, values] of results) console.log(`${what.padEnd(26)} median ${median(values).toFixed(2)} ms: ${values.map((ms) => ms.toFixed(1)).join(" ")}`);
} finally {
  await server.stop();
}
