// Self-host entry on Deno: the same app over the same libSQL file and folder, served by the very
// code that serves it on Node (src/node.ts, @hono/node-server) through Deno's node:http, on every
// core with node:cluster (scripts/serve.ts) as on Node. Not Deno.serve: it has no header or idle
// timeout at all (a client trickling its headers keeps its connection for good), while Deno's
// node:http applies SATCHEL_HEADERS_TIMEOUT_MS and SATCHEL_IDLE_TIMEOUT_MS as Node does, for
// about the same CPU per warm p2 (measured with bench/overhead.ts: 7% more gzipped, 23% less
// plain than Satchel on Deno.serve).
import { startNodeServer } from "./node.ts";

declare const Deno: { version: { deno: string } };

export const isDeno = typeof (globalThis as { Deno?: unknown }).Deno !== "undefined";

// `deno run src/deno.ts` (scripts/deno-binary.ts has the flags): the server alone, without a git worker (benchmarks).
if ((import.meta as { main?: boolean }).main && isDeno) {
  const running = await startNodeServer();
  console.log(`Satchel (Deno ${Deno.version.deno}, libSQL) listening on ${running.url}`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
