// Two builds of the Worker bundle side by side on workerd (bench/workerd-direct.ts, no wrangler),
// measured in alternating rounds so that the shared machine's load falls on both alike: the
// workerd process group's CPU per Composer request (warm p2, zipball, packages.json, 12 at a
// time), median of the rounds. A change's effect on the Worker's own CPU, same machine, same
// minute. Build the two first, e.g.:
//   git show HEAD~1:... (or a worktree at the old commit) && npm run build && cp dist/worker.js /tmp/a.js
//   npm run build && cp dist/worker.js /tmp/b.js
// then `node bench/workerd-ab.ts /tmp/a.js /tmp/b.js [rounds]`.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { groupCpuNanos } from "./cpu.ts";
import { startWorkerdDirect, type Server } from "./servers.ts";
import { median } from "./stats.ts";
import { composerRequests, send, type ComposerRequests } from "./workerd-requests.ts";

const [bundleA, bundleB] = process.argv.slice(2, 4).map((file) => path.resolve(file));
if (!bundleA || !bundleB) throw new Error("usage: node bench/workerd-ab.ts <bundle-a.js> <bundle-b.js> [rounds]");
const rounds = Number(process.argv[4] ?? 6);
const REPEATS = 8; // each kind's paths sent this many times per measurement

const work = await mkdtemp(path.join(tmpdir(), "workerd-ab-"));
const servers: { label: string; server: Server; requests: ComposerRequests; cpu: Map<string, number[]> }[] = [];
try {
  for (const [label, bundle] of [["A", bundleA], ["B", bundleB]] as const) {
    process.env.WORKERD_SCRIPT = bundle;
    const server = await startWorkerdDirect(path.join(work, label));
    servers.push({ label, server, requests: await composerRequests(server.url), cpu: new Map() });
  }
  for (const { server, requests } of servers) for (const [, paths] of requests.kinds) await send(server.url, paths, requests.headers);
  for (let round = 0; round < rounds; round++) {
    // A B, then B A: neither always runs first.
    for (const entry of round % 2 === 0 ? servers : [...servers].reverse()) {
      for (const [kind, paths] of entry.requests.kinds) {
        await new Promise((resolve) => setTimeout(resolve, 300));
        const before = groupCpuNanos(entry.server.pgid!);
        for (let repeat = 0; repeat < REPEATS; repeat++) await send(entry.server.url, paths, entry.requests.headers);
        const perRequest = (groupCpuNanos(entry.server.pgid!) - before) / 1e6 / (paths.length * REPEATS);
        entry.cpu.set(kind, [...(entry.cpu.get(kind) ?? []), perRequest]);
      }
    }
  }
  console.log(`workerd CPU per request, ms (median of ${rounds} rounds; all rounds after the colon)`);
  for (const { label, cpu } of servers) {
    for (const [kind, values] of cpu) console.log(`${label} ${kind.padEnd(20)} ${median(values).toFixed(3)}: ${values.map((value) => value.toFixed(3)).join(" ")}`);
  }
} finally {
  for (const { server } of servers) await server.stop();
}
