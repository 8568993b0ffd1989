// `npm run serve`: the self-host server (Node, a libSQL file and a folder) with one git worker
// beside it as a child process.
import { startNodeServer } from "../src/node.ts";
import { signInHint, Supervisor } from "./supervisor.ts";

const supervisor = new Supervisor();
const server = await startNodeServer();
supervisor.onStop(() => server.close());
console.log(`Satchel (Node, libSQL) listening on ${server.url}`);
console.log(signInHint(server.url.replace("0.0.0.0", "127.0.0.1"), process.env.ADMIN_USER));
supervisor.startWorker(server.url.replace("0.0.0.0", "127.0.0.1"), server.app.services.config.workerToken);
