// Self-host entry: the same app on Node with a libSQL file and a folder of blobs.
// scripts/serve.ts (npm run serve) starts it with a git worker beside it; `node src/node.ts`
// runs the server alone.
// Reads PORT, HOST, SATCHEL_DATA_DIR (default .data) and the configuration in README.md.
import { serve, type ServerType } from "@hono/node-server";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, type SatchelApp } from "./app.ts";
import { folderBlobStore } from "./blobs/folder.ts";
import { readConfig, type EnvVars } from "./config.ts";
import { openLibsqlDatabase } from "./db/libsql.ts";
import { failExhaustedJobs } from "./jobs/queue.ts";
import { loadLocalSecrets } from "./local-secrets.ts";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningServer {
  app: SatchelApp;
  url: string;
  close(): Promise<void>;
}

export async function startNodeServer(env: EnvVars = process.env): Promise<RunningServer> {
  const dataDir = path.resolve(env.SATCHEL_DATA_DIR || path.join(projectRoot, ".data"));
  const secrets = await loadLocalSecrets(dataDir, env);
  const host = env.HOST || "127.0.0.1";
  const port = Number(env.PORT || 8080);
  const config = readConfig(env, secrets);
  const db = await openLibsqlDatabase(env.SATCHEL_DATABASE_URL || `file:${path.join(dataDir, "satchel.db")}`, path.join(projectRoot, "migrations"));
  const app = createApp({
    db,
    blobs: folderBlobStore(path.join(dataDir, "blobs")),
    config,
    // The client address comes from the socket, never from a header a client could forge.
    clientAddress: (nodeEnv) => (nodeEnv as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress,
  });
  await app.ready();

  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ hostname: host, port, fetch: app.fetch }, () => resolve(started));
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const timer = setInterval(() => void failExhaustedJobs(app.services).catch(() => undefined), 60_000);
  timer.unref();
  return {
    app,
    url: `http://${host}:${boundPort}`,
    async close() {
      clearInterval(timer);
      await app.services.lastUsed.flush(db, Date.now());
      await app.services.downloads.flush(db, Date.now());
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

// `node src/node.ts`: the server alone, without a git worker (benchmarks, external workers).
if (import.meta.url === `file://${process.argv[1]}`) {
  const running = await startNodeServer();
  console.log(`Satchel (Node, libSQL) listening on ${running.url}`);
  const stop = async () => {
    await running.close();
    process.exit(0);
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}
