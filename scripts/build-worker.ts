// The Worker `npm start` serves: wrangler's own build (`wrangler deploy --dry-run`, what
// `npm run build` runs) and wrangler.toml's bindings as wrangler reads them
// (scripts/worker-options.ts), written into the data folder for scripts/edge-local.ts.
// wrangler's output stays to ourselves unless a step fails.
import { spawnSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";

/** Builds the Worker into `dataDir`/worker-build; returns that folder, or exits on failure. */
export function buildWorker(wrangler: string, dataDir: string, options: { cwd: string; env: NodeJS.ProcessEnv }): string {
  const outdir = path.join(dataDir, "worker-build");
  const built = spawnSync(wrangler, ["deploy", "--dry-run", "--outdir", outdir], { ...options, encoding: "utf8" });
  if (built.status !== 0) fail("Building the Worker", built);
  const read = spawnSync(process.execPath, [path.join(options.cwd, "scripts", "worker-options.ts")], { ...options, encoding: "utf8" });
  if (read.status !== 0) fail("Reading wrangler.toml", read);
  writeFileSync(path.join(outdir, "options.json"), read.stdout);
  return outdir;
}

function fail(step: string, result: ReturnType<typeof spawnSync>): never {
  process.stderr.write(`${String(result.stdout ?? "")}${String(result.stderr ?? "")}`);
  process.stderr.write(`${step} failed (exited with ${result.status ?? result.signal}).\n`);
  process.exit(result.status ?? 1);
}
