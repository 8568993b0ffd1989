// `npm run serve` (Node) and `npm run serve:bun` (Bun), `npm run serve:deno` (Deno): the
// self-host server over a libSQL file and a folder, one process per core (SATCHEL_WORKERS,
// default: every core), with one git worker beside them.
import cluster from "node:cluster";
import { isBun, startBunServer } from "../src/bun.ts";
import { isDeno } from "../src/deno.ts";
import { runClusterWorker, startCluster, workerCount } from "../src/node-cluster.ts";
import { startNodeServer } from "../src/node.ts";
import { localDataDir } from "../src/local-secrets.ts";
import { projectRoot, signInHint, Supervisor } from "./supervisor.ts";

// Deno serves through its node:http, as Node does (src/deno.ts says why).
const startServer = isBun ? startBunServer : startNodeServer;
const runtime = isBun ? "Bun" : isDeno ? "Deno" : "Node";

if (cluster.isWorker) {
  await runClusterWorker(process.env, startServer);
} else {
  const supervisor = new Supervisor();
  // Bun's cluster workers share a port only through SO_REUSEPORT (Linux): elsewhere it serves from one process.
  const count = isBun && process.platform !== "linux" ? 1 : workerCount(process.env);
  const served =
    count === 1
      ? await startServer(process.env, {}).then((server) => ({ url: server.url, workerToken: server.app.services.config.workerToken, close: () => server.close() }))
      : await startCluster(process.env, count);
  supervisor.onStop(() => served.close());
  const url = served.url.replace("0.0.0.0", "127.0.0.1");
  console.log(`Satchel (${runtime}, libSQL${count === 1 ? "" : `, ${count} processes`}) listening on ${served.url}`);
  console.log(signInHint(url, process.env.ADMIN_USER));
  supervisor.startWorker(url, served.workerToken, localDataDir(process.env, projectRoot));
}
