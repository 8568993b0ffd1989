// `node scripts/run-ts.mjs scripts/bun.ts <bun arguments>`: runs this install's real Bun binary
// (scripts/bun-binary.ts) with the arguments, for npm scripts (serve:bun, test:bun). The Node
// that runs this is handed on as SATCHEL_NODE: under Bun, the git worker still runs on Node.
import { spawn } from "node:child_process";
import { bunBinary } from "./bun-binary.ts";

let bun: string;
try {
  bun = bunBinary().path;
} catch (error) {
  console.error(error instanceof Error ? error.message : String(error));
  process.exit(1);
}
const child = spawn(bun, process.argv.slice(2), { stdio: "inherit", env: { ...process.env, SATCHEL_NODE: process.execPath } });
// Ctrl-C reaches Bun through the terminal's process group; a signal sent to this process alone is passed on.
for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
child.once("exit", (code, signal) => process.exit(code ?? (signal ? 128 : 1)));
