// `node scripts/run-ts.mjs scripts/bun.ts <bun arguments>`: runs this install's real Bun binary
// (scripts/bun-binary.ts) with the arguments, for npm scripts (serve:bun, test:bun).
import { bunBinary } from "./bun-binary.ts";
import { handOver } from "./runtime-binary.ts";

try {
  handOver(bunBinary().path, process.argv.slice(2));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
