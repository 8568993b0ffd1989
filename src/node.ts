// Self-host entry: the same app on Node with a libSQL file and a folder of blobs.
// scripts/serve.ts (npm run serve) starts it on every core (src/node-cluster.ts) with a git
// worker beside it; `node src/node.ts` runs one server process alone.
// Reads PORT, HOST, SATCHEL_DATA_DIR (default .data) and the configuration in README.md.
import { createAdaptorServer } from "@hono/node-server";
import type { Server } from "node:http";
import { lookup } from "node:dns/promises";
import { chmod, open } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { createApp, type SatchelApp } from "./app.ts";
import { folderBlobStore } from "./blobs/folder.ts";
import type { BlobStore } from "./ports.ts";
import { readConfig, schedulerIntervalMs, type EnvVars } from "./config.ts";
import { ldapDirectory } from "./identity/ldap-client.ts";
import { smtpMailer } from "./mail/smtp-mailer.ts";
import { openLibsqlDatabase } from "./db/libsql.ts";
import { runScheduledWork } from "./scheduler/run-scheduled.ts";
import { announcingWrites } from "./http/write-announcer.ts";
import { serverLimits, type ServerLimits } from "./server-limits.ts";
import { guardedNodeFetch } from "./webhooks/outgoing/node-guarded-fetch.ts";
import { createPrivateDataDir, loadLocalSecrets, localDataDir } from "./local-secrets.ts";
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

/** The app over the data folder, before any listening: shared by the Node and Bun entries. */
export interface SelfHost {
  app: SatchelApp;
  host: string;
  port: number;
  limits: ServerLimits;
  /** Starts the cron trigger's counterpart (leases, retries, re-crawls, deliveries, pruning); returns its stop. */
  startScheduler(): () => void;
  /** Writes the batched counters (token last-use, downloads, proxy stats), then closes the DB. */
  close(): Promise<void>;
}

export async function openSelfHost(env: EnvVars, clientAddress: (runtimeEnv: unknown) => string | undefined): Promise<SelfHost> {
  const dataDir = localDataDir(env, projectRoot);
  await createPrivateDataDir(dataDir);
  const secrets = await loadLocalSecrets(dataDir, env);
  // A cluster's server workers leave the first-admin setup link to the primary (src/node-cluster.ts).
  const config = { ...readConfig(env, secrets), ...(env.SATCHEL_CLUSTER_WORKER ? { issuesSetupLink: false } : {}) };
  const databaseUrl = env.SATCHEL_DATABASE_URL || `file:${path.join(dataDir, "satchel.db")}`;
  if (databaseUrl.startsWith("file:")) await createPrivateFile(databaseUrl.slice("file:".length).split("?")[0]!);
  const db = await openLibsqlDatabase(databaseUrl, path.join(projectRoot, "migrations"));
  const app = createApp({
    db,
    blobs: await blobStoreFor(env.SATCHEL_BLOB_URL, dataDir),
    config,
    // The client address comes from the socket, never from a header a client could forge.
    clientAddress,
    // The proxy's trust rule checks where a dist host really points (src/proxy/trust.ts).
    ldap: config.ldap ? ldapDirectory(config.ldap) : undefined,
    mailer: config.mail?.smtpUrl ? smtpMailer({ url: config.mail.smtpUrl, from: config.mail.from }) : undefined,
    resolveHost: async (hostname) => (await lookup(hostname, { all: true })).map((entry) => entry.address),
    // Webhook deliveries check the address they connect to (DNS rebinding).
    hookTransport: guardedNodeFetch(),
  });
  await app.ready();
  // What a killed process left mid-way: upload claims, and documents behind their versions.
  // Cluster workers leave this to the primary, which does it before forking them: a worker
  // started beside serving siblings would drop their live claims.
  if (!env.SATCHEL_CLUSTER_WORKER) {
    await releaseClaimsOfDeadProcesses(app.services);
    await rebuildStaleDocuments(app.services);
  }
  const schedulerMs = schedulerIntervalMs(env);
  return {
    app,
    host: env.HOST || "127.0.0.1",
    port: Number(env.PORT || 8080),
    limits: serverLimits(env),
    startScheduler() {
      let passing = false;
      const timer = setInterval(() => {
        if (passing) return;
        passing = true;
        void runScheduledWork(app.services)
          .catch(() => undefined)
          .finally(() => (passing = false));
      }, schedulerMs);
      timer.unref();
      return () => clearInterval(timer);
    },
    async close() {
      await app.services.flushPending();
      db.close();
    },
  };
}

export interface NodeServerOptions {
  /** Run scheduled work in this process (false in cluster workers: the primary runs it once). */
  scheduler?: boolean;
  /** Called after each request that wrote (src/http/write-announcer.ts): the cluster's siblings forget their caches. */
  announceWrites?: () => void;
  /** SO_REUSEPORT: every cluster worker binds its own socket and the kernel spreads connections. */
  reusePort?: boolean;
}

export async function startNodeServer(env: EnvVars = process.env, options: NodeServerOptions = {}): Promise<RunningServer> {
  const selfHost = await openSelfHost(env, (nodeEnv) => (nodeEnv as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming?.socket?.remoteAddress);
  const { app, host, port, limits } = selfHost;
  const server = createAdaptorServer({
    fetch: options.announceWrites ? announcingWrites(app.fetch, options.announceWrites) : app.fetch,
    hostname: host,
    serverOptions: {
      headersTimeout: limits.headersTimeoutMs,
      requestTimeout: limits.requestTimeoutMs,
      keepAliveTimeout: limits.idleTimeoutMs,
      // How often Node checks the two timeouts above (its default is 30 s).
      connectionsCheckingInterval: Math.min(1000, limits.headersTimeoutMs),
    },
  }) as Server;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ host, port, reusePort: options.reusePort, exclusive: options.reusePort ? true : undefined }, () => resolve());
  });
  const address = server.address();
  const boundPort = typeof address === "object" && address ? address.port : port;
  const stopScheduler = options.scheduler === false ? () => undefined : selfHost.startScheduler();
  return {
    app,
    url: `http://${host}:${boundPort}`,
    async close() {
      stopScheduler();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      await selfHost.close();
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
