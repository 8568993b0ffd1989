// `npm run serve`: the self-host server (scripts/serve.ts) on Bun when this install has a working
// Bun binary (it serves a warm p2 for about half the CPU Node needs: bench/RESULTS.md), else on
// this Node with a one-line notice. SATCHEL_RUNTIME=node or =bun chooses; `npm run serve:node`
// and `npm run serve:bun` name the runtime outright.
import cluster from "node:cluster";
import path from "node:path";
import { bunBinary } from "./bun-binary.ts";
import { handOver } from "./runtime-binary.ts";
import { projectRoot } from "./supervisor.ts";

const wanted = process.env.SATCHEL_RUNTIME ?? "";
if (!["", "bun", "node"].includes(wanted)) {
  console.error(`SATCHEL_RUNTIME must be "bun" or "node", not "${wanted}".`);
  process.exit(1);
}

function bunOrNotice(): string | undefined {
  if (wanted === "node" || cluster.isWorker) return undefined;
  try {
    return bunBinary().path;
  } catch (error) {
    if (wanted === "bun") throw error;
    console.warn(`Satchel: no working Bun in this install, serving on Node ${process.version} (npm run serve:node says so outright).`);
    return undefined;
  }
}

const bun = bunOrNotice();
if (bun === undefined) {
  // Node (and every cluster worker forked from this file on Node) runs the server in this process.
  await import("./serve.ts");
} else {
  handOver(bun, [path.join(projectRoot, "scripts", "serve.ts")]);
}
