// Cloudflare entry: D1, R2, vars/secrets, connect() (LDAP) and the cron trigger become the app's ports.
import { createApp, type SatchelApp } from "./app.ts";
import { r2BlobStore } from "./blobs/r2.ts";
import { readConfig, type EnvVars } from "./config.ts";
import { d1Database } from "./db/d1.ts";
import { workersLdapDirectory } from "./identity/ldap-sockets.ts";
import { runScheduledWork } from "./scheduler/run-scheduled.ts";

export interface WorkerEnv {
  DB: D1Database;
  BLOBS: R2Bucket;
  JWT_SECRET?: string;
  ENCRYPTION_KEY?: string;
  WORKER_TOKEN?: string;
  [name: string]: unknown;
}

let app: SatchelApp | undefined;

function appFor(env: WorkerEnv): SatchelApp {
  if (app) return app;
  const vars: EnvVars = Object.fromEntries(Object.entries(env).filter((entry): entry is [string, string] => typeof entry[1] === "string"));
  const required = (name: "JWT_SECRET" | "ENCRYPTION_KEY" | "WORKER_TOKEN") => {
    const value = env[name];
    if (!value || value.length < 16) throw new Error(`${name} must be set (wrangler secret put ${name}), at least 16 characters`);
    return value;
  };
  const config = readConfig(vars, { jwtSecret: required("JWT_SECRET"), encryptionKey: required("ENCRYPTION_KEY"), workerToken: required("WORKER_TOKEN") });
  const ldap = config.ldap ? workersLdapDirectory(config.ldap) : undefined;
  app = createApp({ db: d1Database(env.DB), blobs: r2BlobStore(env.BLOBS), config, ldap });
  return app;
}

export default {
  fetch(request: Request, env: WorkerEnv, ctx: ExecutionContext) {
    return appFor(env).fetch(request, env, ctx);
  },
  async scheduled(_controller: ScheduledController, env: WorkerEnv, ctx: ExecutionContext) {
    const { services } = appFor(env);
    // Leases, retries, re-crawls, webhook deliveries and pruning (src/scheduler/).
    ctx.waitUntil(runScheduledWork(services));
  },
} satisfies ExportedHandler<WorkerEnv>;
