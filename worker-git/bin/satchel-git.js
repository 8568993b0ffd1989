#!/usr/bin/env node
// Node runs the TypeScript sources directly (type stripping): no build step, and only the
// command that is used gets loaded. Stripped sources are cached (stripped-ts-cache.js).
import { requireNode } from "./require-node.js";
import { installStrippedTsCache } from "./stripped-ts-cache.js";

if (requireNode()) {
  installStrippedTsCache();
  const { main } = await import("../src/cli/main.ts");
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`satchel-git: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
