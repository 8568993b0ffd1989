// `npm start`'s edge: the Worker bundle on workerd through Miniflare (wrangler dev's own engine),
// with the local D1 and R2 wrangler dev would use (wrangler.toml's bindings as wrangler reads
// them, the same persistence folder), the app's port connected to the Worker itself. wrangler
// dev puts a request proxy in front (its ProxyWorker, a second workerd that holds requests across
// live reloads: 0.55 ms of CPU and a hop per request, the largest cost of a cold
// `composer update`, bench/COLD-COMPOSER.md). `npm start` serves, so it has no live reload;
// `npm run dev` keeps wrangler dev for code changes.
// Started by scripts/start.ts: `edge-local.ts <build-dir> <persist-dir> <env-file> <host> <port>`,
// the build folder holding worker.js and options.json (scripts/build-worker.ts).
import { readFileSync } from "node:fs";
import path from "node:path";
import { convertV4MiniflareOptions, Log, LogLevel, Miniflare, type V4MiniflareOptions } from "miniflare";
import { schedulerIntervalMs } from "../src/config.ts";
import { readEnvFile } from "./env-file.ts";
import type { LocalWorkerOptions } from "./worker-options.ts";

const [buildDir, persistTo, envFile, host, port] = process.argv.slice(2) as [string, string, string, string, string];
const options = JSON.parse(readFileSync(path.join(buildDir, "options.json"), "utf8")) as LocalWorkerOptions;

const mf = new Miniflare(
  // wrangler builds its Miniflare options in this (v4) shape and converts them the same way.
  convertV4MiniflareOptions({
    name: "satchel",
    compatibilityDate: options.compatibilityDate,
    compatibilityFlags: options.compatibilityFlags,
    modules: [{ type: "ESModule", path: path.join(buildDir, "worker.js") }],
    modulesRoot: buildDir,
    d1Databases: options.d1Databases,
    r2Buckets: options.r2Buckets,
    bindings: readEnvFile(readFileSync(envFile, "utf8")),
    // wrangler dev's layout: `--persist-to X` keeps D1 and R2 under X/v3.
    resourcePersistencePath: path.join(persistTo, "v3"),
    // The app's port goes straight to the Worker. Miniflare's own entry worker (which emulates
    // Cloudflare's front: the `cf` object, compression, its /cdn-cgi/ routes) costs more CPU
    // per Composer request than the app: it keeps only its default random port on 127.0.0.1.
    host: "127.0.0.1",
    unsafeDirectSockets: [{ host, port: Number(port) }],
    log: new Log(LogLevel.WARN),
    logRequests: false,
  } as V4MiniflareOptions),
);
await mf.ready;

// Cron triggers do not fire locally: run the scheduled handler (src/scheduler/) on a timer, as
// the Node server does, through the runtime's own API (no route on the app's port).
const worker = await mf.getWorker();
const scheduler = setInterval(() => {
  for (const cron of options.cronTriggers) void worker.scheduled({ cron }).catch((error: unknown) => console.error(`Scheduled work failed: ${String(error)}`));
}, schedulerIntervalMs(process.env));

const stop = () => {
  clearInterval(scheduler);
  void mf.dispose().finally(() => process.exit(0));
};
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
