// `npm run serve` (Bun) and `npm run serve:node` (Node): the self-host server over a libSQL file
// and a folder, one process per core (SATCHEL_WORKERS), with one git worker beside it.
import cluster from "node:cluster";
import { isBun, startBunServer } from "../src/bun.ts";
import { runClusterWorker, startCluster, workerCount } from "../src/node-cluster.ts";
import { startNodeServer } from "../src/node.ts";
import { signInHint, Supervisor } from "./supervisor.ts";

const startServer = isBun ? startBunServer : startNodeServer;
const runtime = isBun ? "Bun" : "Node";

if (cluster.isWorker) {
  await runClusterWorker(process.env, startServer);
} else {
  const supervisor = new Supervisor();
  const count = workerCount(process.env);
  if (count === 1) {
    const server = await startServer(process.env, {});
    supervisor.onStop(() => server.close());
    console.log(`Satchel (${runtime}, libSQL) listening on ${server.url}`);
    console.log(signInHint(server.url.replace("0.0.0.0", "127.0.0.1"), process.env.ADMIN_USER));
    supervisor.startWorker(server.url.replace("0.0.0.0", "127.0.0.1"), server.app.services.config.workerToken);
  } else {
    const served = await startCluster(process.env, count);
    supervisor.onStop(() => served.close());
    console.log(`Satchel (${runtime}, libSQL, ${count} processes) listening on ${served.url}`);
    console.log(signInHint(served.url.replace("0.0.0.0", "127.0.0.1"), process.env.ADMIN_USER));
    supervisor.startWorker(served.url.replace("0.0.0.0", "127.0.0.1"), served.workerToken);
  }
}
