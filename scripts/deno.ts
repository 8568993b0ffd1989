// `node scripts/run-ts.mjs scripts/deno.ts <file.ts> [arguments]`: runs the file on this install's
// real Deno binary (scripts/deno-binary.ts) as Satchel runs files on Deno, for npm scripts (serve:deno).
import { denoBinary, denoRunArgs } from "./deno-binary.ts";
import { handOver } from "./runtime-binary.ts";

try {
  const [file, ...args] = process.argv.slice(2);
  if (!file) throw new Error("usage: scripts/deno.ts <file.ts> [arguments]");
  handOver(denoBinary().path, denoRunArgs(file, args));
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
