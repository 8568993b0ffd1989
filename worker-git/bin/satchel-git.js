#!/usr/bin/env node
// Node runs the TypeScript sources directly (type stripping): no build step, and only the
// command that is used gets loaded.
import { requireNode } from "./require-node.js";

if (requireNode()) {
  const { main } = await import("../src/cli/main.ts");
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    process.stderr.write(`satchel-git: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
