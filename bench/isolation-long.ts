// The isolation property test's long run: the same suite as CI (test/contract/isolation.suite.ts)
// over many seeds, on Node (libSQL + folder). `node bench/isolation-long.ts [runs]`
// (default 50, or SATCHEL_PROPERTY_RUNS); exits non-zero on the first world that leaks.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const runs = Number(process.argv[2] ?? process.env.SATCHEL_PROPERTY_RUNS ?? 50);
if (!Number.isInteger(runs) || runs < 1) {
  console.error("usage: node bench/isolation-long.ts [runs >= 1]");
  process.exit(2);
}
const root = fileURLToPath(new URL("..", import.meta.url));
const started = Date.now();
const result = spawnSync(
  "npx",
  ["vitest", "run", "--config", "vitest.node.config.ts", "--project", "node", "test/node/contract.test.ts", "-t", "isolation property"],
  { cwd: root, stdio: "inherit", env: { ...process.env, SATCHEL_PROPERTY_RUNS: String(runs) } },
);
console.log(`isolation property: ${runs} generated worlds in ${((Date.now() - started) / 1000).toFixed(1)} s, ${result.status === 0 ? "no leak" : "FAILED"}`);
process.exit(result.status ?? 1);
