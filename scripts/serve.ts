// `npm run serve:node`: the self-host server on Node (a libSQL file and a folder), one process
// per core (SATCHEL_WORKERS), with one git worker beside it as a child process.
import cluster from "node:cluster";
import { runClusterWorker, startCluster, workerCount } from "../src/node-cluster.ts";
import { startNodeServer } from "../src/node.ts";
import { Supervisor } from "./supervisor.ts";

if (cluster.isWorker) {
  await runClusterWorker(process.env);
} else {
  const supervisor = new Supervisor();
  const count = workerCount(process.env);
  if (count === 1) {
    const server = await startNodeServer();
    supervisor.onStop(() => server.close());
    console.log(`Satchel (Node, libSQL) listening on ${server.url}`);
    supervisor.startWorker(server.url.replace("0.0.0.0", "127.0.0.1"), server.app.services.config.workerToken);
  } else {
    const served = await startCluster(process.env, count);
    supervisor.onStop(() => served.close());
    console.log(`Satchel (Node, libSQL, ${count} processes) listening on ${served.url}`);
    supervisor.startWorker(served.url.replace("0.0.0.0", "127.0.0.1"), served.workerToken);
  }
}
