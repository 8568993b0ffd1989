// `npm run serve`: one server process per core (SATCHEL_WORKERS, default: every core) with
// node:cluster, on Bun or Node. Each worker binds its own socket with SO_REUSEPORT, so the kernel spreads
// connections and the primary handles none. The primary prepares the data folder (secrets,
// migrations, first admin) before forking, then runs the scheduled work once for all of them.
//
// What holds across processes: the DB is the one source of truth; caches (tokens, catalog,
// ACLs) live SATCHEL_CACHE_TTL_MS at most, and a write in one process makes the others drop
// theirs at once (src/http/write-announcer.ts); batched counters only ever add to the DB and every
// worker flushes its own on shutdown; login limits are DB-backed; the bad-credentials 429 limit
// is added up by the primary (src/cluster-refusals.ts). Per process: the
// one-count-per-address-per-day dedup of downloads (as per isolate on Workers).
import cluster, { type Worker } from "node:cluster";
import { availableParallelism } from "node:os";
import { createServer } from "node:net";
import type { EnvVars } from "./config.ts";
import { openSelfHost, type NodeServerOptions, type RunningServer } from "./node.ts";
import { RefusalTally, shareRefusals } from "./cluster-refusals.ts";

const CHANGED = "satchel:changed";

export function workerCount(env: EnvVars): number {
  if (!env.SATCHEL_WORKERS) return availableParallelism();
  const count = Number(env.SATCHEL_WORKERS);
  if (!Number.isInteger(count) || count < 1) throw new Error("SATCHEL_WORKERS must be a whole number, at least 1");
  return count;
}

export interface ServingCluster {
  url: string;
  workerToken: string;
  /** Stops every worker (each flushes its counters), then the primary's scheduled work. */
  close(): Promise<void>;
}

/** In the primary: prepares, forks `count` workers and waits until all of them listen. */
export async function startCluster(env: EnvVars, count: number): Promise<ServingCluster> {
  const primary = await openSelfHost(env, () => undefined);
  // Every worker must bind the same port: fix it now when the OS is to choose.
  const port = primary.port === 0 ? await freePort(primary.host) : primary.port;
  const workerEnv = { ...env, PORT: String(port), SATCHEL_CLUSTER_WORKER: "1" };
  let stopping = false;
  // Ctrl-C reaches the workers as soon as the primary: their exits are no crash to recover from.
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.once(signal, () => (stopping = true));
  const workers = new Set<Worker>();
  const refusals = new RefusalTally();
  const toWorkers = (message: string, except?: Worker) => {
    for (const worker of workers) if (worker !== except && worker.isConnected()) worker.send(message);
  };
  const fork = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const worker = cluster.fork(workerEnv);
      workers.add(worker);
      worker.on("message", (message: unknown) => {
        if (message === "listening") resolve();
        if (refusals.receive(message, Date.now(), toWorkers)) return;
        if (message !== CHANGED) return;
        primary.app.services.forgetCached();
        toWorkers(CHANGED, worker);
      });
      worker.once("exit", (code, signal) => {
        workers.delete(worker);
        if (stopping) return;
        reject(new Error(`server worker exited before listening (code ${code}, signal ${signal})`));
        // A worker that dies while serving is replaced; the others keep answering meanwhile.
        console.error(`Satchel: server process ${worker.process.pid} exited (code ${code}, signal ${signal}); starting another`);
        void fork().catch((error: unknown) => console.error(String(error)));
      });
    });
  await Promise.all(Array.from({ length: count }, fork));
  const stopScheduler = primary.startScheduler();
  return {
    url: `http://${primary.host}:${port}`,
    workerToken: primary.app.services.config.workerToken,
    async close() {
      stopping = true;
      stopScheduler();
      const exits = [...workers].map((worker) => new Promise<void>((resolve) => (worker.isDead() ? resolve() : worker.once("exit", () => resolve()))));
      for (const worker of workers) worker.process.kill("SIGTERM");
      await Promise.all(exits);
      await primary.close();
    },
  };
}

export type StartServer = (env: EnvVars, options: NodeServerOptions) => Promise<RunningServer>;

/** In a worker: serves (Node or Bun) until SIGINT/SIGTERM, then flushes its counters and exits. */
export async function runClusterWorker(env: EnvVars, start: StartServer): Promise<RunningServer> {
  // A write here makes the siblings drop their cached copies at once (through the primary).
  const server = await start(env, { scheduler: false, reusePort: process.platform === "linux", announceWrites: () => process.send?.(CHANGED) });
  // Bad credentials count against one limit for the whole server, through the primary.
  const verdicts = shareRefusals(server.app.services.authFailures, (message) => process.send?.(message));
  process.on("message", (message) => (message === CHANGED ? server.app.services.forgetCached() : verdicts(message)));
  let closing: Promise<void> | undefined;
  const stop = () => {
    closing ??= server.close().finally(() => process.exit(0));
  };
  // Ctrl-C reaches every process of the terminal's group; the primary also sends SIGTERM.
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
  process.send?.("listening");
  return server;
}

function freePort(host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, host, () => {
      const address = probe.address();
      probe.close(() => (typeof address === "object" && address ? resolve(address.port) : reject(new Error("no free port"))));
    });
  });
}
