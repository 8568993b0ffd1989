// Prints, as JSON, what scripts/edge-local.ts needs of wrangler.toml, read by wrangler itself the
// way wrangler dev reads it: D1 keyed by its database_id and R2 by its bucket name (as
// `wrangler d1 migrations apply --local` keys them), the compatibility settings, the crons.
// A one-shot process: wrangler, once imported, keeps timers running that the server need not carry.
import path from "node:path";
import { fileURLToPath } from "node:url";
import { unstable_getMiniflareWorkerOptions } from "wrangler";

export interface LocalWorkerOptions {
  compatibilityDate: string;
  compatibilityFlags: string[];
  d1Databases: Record<string, unknown>;
  r2Buckets: Record<string, unknown>;
  cronTriggers: string[];
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(root, "wrangler.toml")) as unknown as { workerOptions: Partial<LocalWorkerOptions> };
const options: LocalWorkerOptions = {
  compatibilityDate: workerOptions.compatibilityDate ?? "",
  compatibilityFlags: workerOptions.compatibilityFlags ?? [],
  d1Databases: workerOptions.d1Databases ?? {},
  r2Buckets: workerOptions.r2Buckets ?? {},
  cronTriggers: workerOptions.cronTriggers ?? [],
};
process.stdout.write(JSON.stringify(options));
