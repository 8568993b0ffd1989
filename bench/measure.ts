// One measurement = a warm-up, then N rounds of wrk against each target, interleaved (A B A B …)
// so slow drift on the machine hits every target alike. Before every round the target's check
// runs (a 200 with the expected p2 document for this token, or the expected error). Besides req/s
// and latency, each round records the server's CPU time per request (bench/cpu.ts).
import { groupCpuMicros } from "./cpu.ts";
import type { Server } from "./servers.ts";
import { median, round } from "./stats.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

export interface Load {
  threads: number;
  connections: number;
  seconds: number;
}

export interface Round extends WrkResult {
  cpuMicrosPerRequest: number | null;
}

export interface Series {
  server: string;
  rounds: Round[];
  /** Medians over the rounds. */
  requestsPerSecond: number;
  p50: number;
  p99: number;
  cpuMicrosPerRequest: number | null;
}

export interface Target {
  name: string;
  server: Server;
  path: string;
  headers: Record<string, string>;
  /** Runs before the warm-up and every round: the server still answers what is measured. */
  check: () => Promise<void>;
  /** The answers measured are 4xx (bad credentials, unknown names). */
  errors?: boolean;
}

function wrkRun(target: Target, load: Load) {
  return runWrk({ url: `${target.server.url}${target.path}`, headers: target.headers, ...load, timeoutSeconds: 10, allowErrors: target.errors });
}

export function summarize(server: string, rounds: Round[]): Series {
  const cpu = rounds.map((r) => r.cpuMicrosPerRequest).filter((value): value is number => value !== null);
  return {
    server,
    rounds,
    requestsPerSecond: round(median(rounds.map((r) => r.requestsPerSecond)), 0),
    p50: round(median(rounds.map((r) => r.p50)), 3),
    p99: round(median(rounds.map((r) => r.p99)), 3),
    cpuMicrosPerRequest: cpu.length ? round(median(cpu), 1) : null,
  };
}

async function measuredRound(target: Target, load: Load): Promise<Round> {
  const before = target.server.pgid ? groupCpuMicros(target.server.pgid) : null;
  const result = await wrkRun(target, load);
  const after = target.server.pgid ? groupCpuMicros(target.server.pgid) : null;
  return { ...result, cpuMicrosPerRequest: before === null || after === null ? null : round((after - before) / result.requests, 1) };
}

/** Warms every target (JIT, caches, keep-alive pools), then runs `count` interleaved rounds. */
export async function measure(targets: Target[], load: Load, count: number, label: string): Promise<Series[]> {
  for (const target of targets) {
    await target.check();
    await wrkRun(target, { ...load, seconds: Math.min(3, load.seconds) });
  }
  const results = targets.map(() => [] as Round[]);
  for (let i = 0; i < count; i++) {
    for (const [index, target] of targets.entries()) {
      await target.check();
      const result = await measuredRound(target, load).catch((error: unknown) => {
        // Socket errors once in a while come from the shared machine (other processes): one
        // repeat; a second failure, or any unexpected non-2xx answer, aborts the run.
        if (!String(error).includes("socket errors")) throw error;
        console.warn(`  ${label} round ${i + 1} ${target.name}: ${String(error).split("\n")[0]}; repeating the round once`);
        return measuredRound(target, load);
      });
      results[index]!.push(result);
      console.log(
        `  ${label} round ${i + 1}/${count} ${target.name.padEnd(28)} ${String(Math.round(result.requestsPerSecond)).padStart(7)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms` +
          (result.cpuMicrosPerRequest === null ? "" : `  ${result.cpuMicrosPerRequest.toFixed(1)} µs CPU/req`) +
          (result.timeouts ? `  (${result.timeouts} timeouts)` : ""),
      );
    }
  }
  return targets.map((target, index) => summarize(target.name, results[index]!));
}
