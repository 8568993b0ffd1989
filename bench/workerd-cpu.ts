// The Worker's own figures, on the production bundle under workerd (bench/workerd-direct.ts):
// p2 req/s and CPU per warm request (bench/measure.ts), and the CPU of one cold request: a fresh
// workerd process whose first request creates the isolate, the app, reads D1 and R2 and gzips.
// CPU is the workerd process's (its HTTP layer, Miniflare's entry worker and local D1/R2
// included): an upper bound on the Worker CPU time Cloudflare counts against the 10 ms limit.
import { groupCpuNanos } from "./cpu.ts";
import type { Server } from "./servers.ts";
import { round } from "./stats.ts";

const settle = () => new Promise((resolve) => setTimeout(resolve, 300));

/** CPU milliseconds and wall milliseconds of one request to `server`, measured from idle. */
export async function oneRequestCpu(server: Server, path: string, headers: Record<string, string>): Promise<{ cpuMs: number; wallMs: number; status: number }> {
  await settle();
  const before = groupCpuNanos(server.pgid!);
  const started = performance.now();
  const response = await fetch(`${server.url}${path}`, { headers });
  await response.arrayBuffer();
  const wallMs = performance.now() - started;
  await settle();
  const after = groupCpuNanos(server.pgid!);
  return { cpuMs: round((after - before) / 1_000_000, 2), wallMs: round(wallMs, 1), status: response.status };
}
