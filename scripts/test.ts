// `npm test`: the type check, then every test project, stopping at the first failure. Run by
// scripts/run-ts.mjs on Node >= 22.18, whose folder goes first on PATH so that every step (and
// what it starts: vitest, wrangler, workerd's tools) runs on it even where npm linked no
// node_modules/.bin/node.
import { spawnSync } from "node:child_process";
import path from "node:path";

const STEPS = ["typecheck", "test:unit", "test:workerd", "test:node", "test:bun", "test:deno", "test:browser"];
const env = { ...process.env, PATH: `${path.dirname(process.execPath)}${path.delimiter}${process.env.PATH ?? ""}` };
for (const step of STEPS) {
  const result = spawnSync("npm", ["run", step], { stdio: "inherit", env });
  if (result.status !== 0) process.exit(result.status ?? 1);
}
