// One measurement = a warm-up, then N rounds of wrk against each target, interleaved (A B A B …)
// so slow drift on the machine hits every target alike. Every round is preceded by a check
// that the URL answers 200 with the expected p2 document for this token.
import { verifiedP2 } from "./api.ts";
import type { Server } from "./servers.ts";
import { median, round } from "./stats.ts";
import { runWrk, type WrkResult } from "./wrk.ts";

export interface Load {
  threads: number;
  connections: number;
  seconds: number;
}

export interface Series {
  server: string;
  rounds: WrkResult[];
  /** Medians over the rounds. */
  requestsPerSecond: number;
  p50: number;
  p99: number;
}

export interface P2Target {
  server: Server;
  packageName: string;
  versions: number;
  token: string;
}

const p2Url = (target: P2Target) => `${target.server.url}/p2/${target.packageName}.json`;

function wrkRun(target: P2Target, load: Load) {
  // The headers Composer sends: credentials, and gzip (its curl always accepts it).
  return runWrk({ url: p2Url(target), headers: { Authorization: `Bearer ${target.token}`, "Accept-Encoding": "gzip" }, ...load, timeoutSeconds: 10 });
}

export function summarize(server: string, rounds: WrkResult[]): Series {
  return {
    server,
    rounds,
    requestsPerSecond: round(median(rounds.map((r) => r.requestsPerSecond)), 0),
    p50: round(median(rounds.map((r) => r.p50)), 3),
    p99: round(median(rounds.map((r) => r.p99)), 3),
  };
}

/** Warms every target (JIT, caches, keep-alive pools), then runs `count` interleaved rounds. */
export async function measure(targets: P2Target[], load: Load, count: number, label: string): Promise<Series[]> {
  for (const target of targets) {
    await verifiedP2(target.server.url, target.token, target.packageName, target.versions);
    await wrkRun(target, { ...load, seconds: Math.min(3, load.seconds) });
  }
  const results = targets.map(() => [] as WrkResult[]);
  for (let i = 0; i < count; i++) {
    for (const [index, target] of targets.entries()) {
      await verifiedP2(target.server.url, target.token, target.packageName, target.versions);
      const result = await wrkRun(target, load).catch((error: unknown) => {
        // Socket errors once in a while come from the shared machine (other processes): one
        // repeat; a second failure, or any non-2xx answer, aborts the run.
        if (!String(error).includes("socket errors")) throw error;
        console.warn(`  ${label} round ${i + 1} ${target.server.name}: ${String(error).split("\n")[0]}; repeating the round once`);
        return wrkRun(target, load);
      });
      results[index]!.push(result);
      console.log(
        `  ${label} round ${i + 1}/${count} ${target.server.name.padEnd(12)} ${String(Math.round(result.requestsPerSecond)).padStart(7)} req/s  p50 ${result.p50.toFixed(2)} ms  p99 ${result.p99.toFixed(2)} ms` +
          (result.timeouts ? `  (${result.timeouts} timeouts)` : ""),
      );
    }
  }
  return targets.map((target, index) => summarize(target.server.name, results[index]!));
}
