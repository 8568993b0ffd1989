// Self-host entry: the same app on Node with a libSQL file and a folder of blobs.
// scripts/serve.ts (npm run serve) starts it with a git worker beside it; `node src/node.ts`
// runs the server alone.
// Reads PORT, HOST, SATCHEL_DATA_DIR (default .data) and the configuration in README.md.
import { serve, type ServerType } from "@hono/node-server";
import { lookup } from "node:dns/promises";
import { chmod, open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, type SatchelApp } from "./app.ts";
import { folderBlobStore } from "./blobs/folder.ts";
import type { BlobStore } from "./ports.ts";
import { readConfig, type EnvVars } from "./config.ts";
import { ldapDirectory } from "./identity/ldap-client.ts";
import { smtpMailer } from "./mail/smtp-mailer.ts";
import { openLibsqlDatabase } from "./db/libsql.ts";
import { runScheduledWork } from "./scheduler/run-scheduled.ts";
import { guardedNodeFetch } from "./webhooks/outgoing/node-guarded-fetch.ts";
import { createPrivateDataDir, loadLocalSecrets } from "./local-secrets.ts";
import { releaseClaimsOfDeadProcesses } from "./packages/upload-claim-store.ts";
import { rebuildStaleDocuments } from "./packages/rebuild-documents.ts";

const projectRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface RunningServer {
  app: SatchelApp;
  url: string;
  close(): Promise<void>;
}

/** SATCHEL_BLOB_URL: s3://bucket?endpoint=... (object storage), else a folder (default: <data dir>/blobs). */
async function blobStoreFor(url: string | undefined, dataDir: string): Promise<BlobStore> {
  if (url?.startsWith("s3://")) {
    // Loaded only when used: the AWS SDK costs start-up time a folder store does not need.
    const { parseS3Url, s3BlobStore } = await import("./blobs/s3.ts");
    return s3BlobStore(parseS3Url(url));
  }
  return folderBlobStore(url ? path.resolve(url.replace(/^file:/, "")) : path.join(dataDir, "blobs"));
}

export async function startNodeServer(env: EnvVars = process.env): Promise<RunningServer> {
  const dataDir = path.resolve(env.SATCHEL_DATA_DIR || path.join(projectRoot, ".data"));
  await createPrivateDataDir(dataDir);
  const secrets = await loadLocalSecrets(dataDir, env);
  const host = env.HOST || "127.0.0.1";
  const port = Number(env.PORT || 8080);
  const config = readConfig(env, secrets);
  const databaseUrl = env.SATCHEL_DATABASE_URL || `file:${path.join(dataDir, "satchel.db")}`;
  if (databaseUrl.startsWith("file:")) await createPrivateFile(databaseUrl.slice("file:".length).split("?")[0]!);
  const db = await openLibsqlDatabase(databaseUrl, path.join(projectRoot, "migrations"));
  const app = createApp({
    db,
    blobs: await blobStoreFor(env.SATCHEL_BLOB_URL, dataDir),
    config,
    // The client address comes from the socket, never from a header a client could forge.
    clientAddress: (nodeEnv) => (nodeEnv as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress,
    // The proxy's trust rule checks where a dist host really points (src/proxy/trust.ts).
    ldap: config.ldap ? ldapDirectory(config.ldap) : undefined,
    mailer: config.mail?.smtpUrl ? smtpMailer({ url: config.mail.smtpUrl, from: config.mail.from }) : undefined,
    resolveHost: async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address),
    // Webhook deliveries check the address they connect to (DNS rebinding).
    hookTransport: guardedNodeFetch(),
  });
  await app.ready();
  // What a killed process left mid-way: upload claims, and documents behind their versions.
  await releaseClaimsOfDeadProcesses(app.services);
  await rebuildStaleDocuments(app.services);

  const server: ServerType = await new Promise((resolve) => {
    const started = serve({ hostname: host, port, fetch: app.fetch }, () => resolve(started));
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  // The cron trigger's counterpart: leases, retries, re-crawls, webhook deliveries, pruning.
  const schedulerMs = Number(env.SATCHEL_SCHEDULER_INTERVAL_SECONDS || 60) * 1000;
  if (!Number.isFinite(schedulerMs) || schedulerMs < 1000) throw new Error("SATCHEL_SCHEDULER_INTERVAL_SECONDS must be at least 1");
  let passing = false;
  const timer = setInterval(() => {
    if (passing) return;
    passing = true;
    void runScheduledWork(app.services)
      .catch(() => undefined)
      .finally(() => (passing = false));
  }, schedulerMs);
  timer.unref();
  return {
    app,
    url: `http://${host}:${boundPort}`,
    async close() {
      clearInterval(timer);
      await app.services.flushPending();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      db.close();
    },
  };
}

/** SQLite gives its -wal and -shm files the database file's mode: 0600 here covers all three. */
async function createPrivateFile(file: string): Promise<void> {
  await (await open(file, "a", 0o600)).close();
  await chmod(file, 0o600);
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
