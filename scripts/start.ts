// `npm start`: the edge app on workerd (local D1 + R2 persisted under .data/wrangler-state/) plus
// one git worker connected to it. Configuration comes from the shell environment and is forwarded
// to the Worker; secrets are generated on first start and kept in .data/.
// The Worker is bundled by wrangler (as `npm run build`) and served by scripts/edge-local.ts,
// without wrangler dev's request proxy. `npm run dev` (`--watch`) runs wrangler dev instead:
// it rebuilds and reloads on every code change, at the proxy's cost per request.
import { writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { schedulerIntervalMs } from "../src/config.ts";
import { createPrivateDataDir, loadLocalSecrets, localDataDir } from "../src/local-secrets.ts";
import { applyLocalMigrations } from "./local-migrations.ts";
import { buildWorker } from "./build-worker.ts";
import { writeEnvFileText } from "./env-file.ts";
import { signInHint, Supervisor } from "./supervisor.ts";
import { allOf, forwardLines, withoutInfoLogs, withoutTransportFailures } from "./workerd-output.ts";
import { wranglerEnvironment } from "./wrangler-env.ts";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dataDir = localDataDir(process.env, root);
// A bad value stops here, before anything starts (edge-local.ts and the Node server read it too).
const schedulerMs = schedulerIntervalMs(process.env);
const persistTo = path.join(dataDir, "wrangler-state");
const host = process.env.HOST || "127.0.0.1";
const port = process.env.PORT || "8080";
const FORWARDED = /^(ADMIN_USER|ADMIN_PASSWORD|ADMIN_EMAIL|PUBLIC_URL|SATCHEL_[A-Z_]+)$/;

const quiet = wranglerEnvironment(process.env, dataDir);
const wrangler = path.join(root, "node_modules", ".bin", "wrangler");

// wrangler's D1/R2 state, its logs and the env file are private: so is everything this process
// and its children (wrangler, workerd, the git worker) create.
process.umask(0o077);
await createPrivateDataDir(dataDir);
const secrets = await loadLocalSecrets(dataDir, process.env);
const vars: Record<string, string> = {
  JWT_SECRET: secrets.jwtSecret,
  ENCRYPTION_KEY: secrets.encryptionKey,
  WORKER_TOKEN: secrets.workerToken,
  SATCHEL_LISTEN_URL: `http://${host}:${port}`,
};
for (const [name, value] of Object.entries(process.env)) if (FORWARDED.test(name) && value !== undefined) vars[name] = value;
const envFile = path.join(dataDir, "worker.env");
writeFileSync(envFile, writeEnvFileText(vars), { mode: 0o600 });

applyLocalMigrations(wrangler, persistTo, { cwd: root, env: quiet });

const watch = process.argv.includes("--watch");
const [command, args] = watch
  ? [wrangler, ["dev", "--local", "--ip", host, "--port", port, "--persist-to", persistTo, "--env-file", envFile, "--show-interactive-dev-session=false", "--log-level", "warn", "--test-scheduled"]]
  : [process.execPath, [path.join(root, "scripts", "edge-local.ts"), buildWorker(wrangler, dataDir, { cwd: root, env: quiet }), persistTo, envFile, host, port]];
const supervisor = new Supervisor();
const edge = supervisor.spawn(command, args, { cwd: root, env: quiet, stdio: ["ignore", "pipe", "pipe"] }, { essential: true });
forwardLines(edge.stdout!, process.stdout, allOf(withoutTransportFailures(), withoutInfoLogs()));
forwardLines(edge.stderr!, process.stderr, allOf(withoutTransportFailures(), withoutInfoLogs()));
const local = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;
supervisor.startWorker(local, secrets.workerToken, dataDir);
if (watch) {
  // wrangler dev does not fire cron triggers: run the scheduled handler (src/scheduler/) as the
  // Node server's timer does, through wrangler's /__scheduled test route (edge-local.ts has its own).
  const scheduler = setInterval(() => void fetch(`${local}/__scheduled?cron=*+*+*+*+*`).catch(() => undefined), schedulerMs);
  scheduler.unref();
}

// The first request bootstraps the admin (or prints the one-time setup link): make it now, so
// the link shows at start like the Node server's does, then say where Satchel listens.
let ready = false;
for (let attempt = 0; attempt < 120 && !ready; attempt++) {
  ready = await fetch(`${local}/healthz`).then((response) => response.ok, () => false);
  if (!ready) await new Promise((resolve) => setTimeout(resolve, 500));
}
if (ready) {
  console.log(`Satchel (workerd) ready on ${local}`);
  console.log(signInHint(local, process.env.ADMIN_USER));
} else {
  console.error(`Satchel (workerd) does not answer ${local}/healthz after 60 s: see wrangler's output above.`);
}
