// Self-host entry on Bun: the same app over the same libSQL file and folder as src/node.ts,
// served by Bun.serve. `npm run serve` runs it on every core (src/node-cluster.ts: node:cluster
// works on Bun on Linux through SO_REUSEPORT); `bun src/bun.ts` runs one server process alone.
import type { EnvVars } from "./config.ts";
import { announcingWrites } from "./http/write-announcer.ts";
import { openSelfHost, type NodeServerOptions, type RunningServer } from "./node.ts";

interface BunServer {
  port: number;
  requestIP(request: Request): { address: string } | null;
  stop(closeActiveConnections?: boolean): Promise<void>;
}

interface BunServeOptions {
  hostname: string;
  port: number;
  reusePort: boolean;
  idleTimeout: number;
  fetch(request: Request, server: BunServer): Response | Promise<Response>;
}

declare const Bun: { serve(options: BunServeOptions): BunServer; version: string };

/** The runtime env handed to the app: the client's address, looked up only when asked for (a tenth of a warm request otherwise). */
class BunRequestEnv {
  readonly #server: BunServer;
  readonly #request: Request;

  constructor(server: BunServer, request: Request) {
    this.#server = server;
    this.#request = request;
  }

  get ip(): string | undefined {
    return this.#server.requestIP(this.#request)?.address;
  }
}

export const isBun = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

export async function startBunServer(env: EnvVars = process.env, options: NodeServerOptions = {}): Promise<RunningServer> {
  // The client address comes from the socket (Bun hands it to fetch through the server).
  const selfHost = await openSelfHost(env, (runtimeEnv) => (runtimeEnv as { ip?: string } | undefined)?.ip);
  const { app, host, port, limits } = selfHost;
  const fetch = options.announceWrites ? announcingWrites(app.fetch, options.announceWrites) : app.fetch;
  const server = Bun.serve({
    hostname: host,
    port,
    reusePort: options.reusePort ?? false,
    // Bun counts whole seconds (at most 255) and has no separate header timeout: a connection
    // that sends nothing for this long is closed, whether it is between requests or mid-headers.
    idleTimeout: Math.min(255, Math.max(1, Math.round(limits.idleTimeoutMs / 1000))),
    fetch: (request, bunServer) => fetch(request, new BunRequestEnv(bunServer, request)),
  });
  const stopScheduler = options.scheduler === false ? () => undefined : selfHost.startScheduler();
  return {
    app,
    url: `http://${host}:${server.port}`,
    async close() {
      stopScheduler();
      await server.stop();
      await selfHost.close();
    },
  };
}

// `bun src/bun.ts`: the server alone, without a git worker (benchmarks, external workers).
if ((import.meta as { main?: boolean }).main && isBun) {
  const running = await startBunServer();
  console.log(`Satchel (Bun ${Bun.version}, libSQL) listening on ${running.url}`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
