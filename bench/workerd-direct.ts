// The production bundle (`npm run build` -> dist/worker.js) on workerd through Miniflare from
// code (v4-style options, converted for Miniflare 5), with local D1 and R2: no wrangler, no dev proxy, no live-reload layer. The bench starts
// this as its own process: `node bench/workerd-direct.ts <port> <persist-dir>`. Migrations are
// applied through the D1 binding itself, statement by statement, as wrangler would.
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";

const [port, persist] = [Number(process.argv[2]), process.argv[3]!];
const root = path.resolve(import.meta.dirname, "..");
const script = process.env.WORKERD_SCRIPT ?? path.join(root, "dist", "worker.js");
// Twice: first without a port to apply the migrations, then listening, so no request ever
// meets a database without its tables.
const options = (listen: boolean) =>
  convertV4MiniflareOptions({
    modules: true,
    // WORKERD_SCRIPT: another build of the bundle (bench/workerd-ab.ts compares two).
    scriptPath: script,
    modulesRoot: path.dirname(script),
    compatibilityDate: "2026-11-01",
    compatibilityFlags: ["nodejs_compat"],
    d1Databases: { DB: "bench-d1" },
    r2Buckets: { BLOBS: "bench-r2" },
    // Miniflare 5's one persistence root (D1 and R2 under it), kept across both instances.
    resourcePersistencePath: persist,
    bindings: {
      JWT_SECRET: "bench-jwt-secret-0123456789abcdef",
      ENCRYPTION_KEY: "bench-encryption-key-0123456789",
      WORKER_TOKEN: "bench-worker-token-0123456789ab",
      ADMIN_USER: "admin",
      ADMIN_PASSWORD: "admin-password",
      SATCHEL_DEFAULT_UPSTREAM: "none",
    },
    host: "127.0.0.1",
    ...(listen ? { port } : {}),
    // WORKERD_INSPECTOR_PORT=9229: V8's inspector for CPU profiles (bench/workerd-profile.ts).
    ...(listen && process.env.WORKERD_INSPECTOR_PORT ? { inspectorPort: Number(process.env.WORKERD_INSPECTOR_PORT) } : {}),
  });
const migrator = new Miniflare(options(false));
const db = await migrator.getD1Database("DB");
const applied = await db.prepare("select name from sqlite_master where type = 'table' and name = 'users'").first();
if (!applied) {
  const folder = path.join(root, "migrations");
  for (const file of (await readdir(folder)).filter((name) => name.endsWith(".sql")).sort()) {
    const text = await readFile(path.join(folder, file), "utf8");
    for (const statement of text.split("--> statement-breakpoint").map((part) => part.trim()).filter(Boolean)) await db.prepare(statement).run();
  }
}
await migrator.dispose();
const mf = new Miniflare(options(true));
await mf.ready;
console.log(`workerd (Miniflare, dist/worker.js) listening on http://127.0.0.1:${port}`);
const stop = () => void mf.dispose().finally(() => process.exit(0));
process.once("SIGINT", stop);
process.once("SIGTERM", stop);
