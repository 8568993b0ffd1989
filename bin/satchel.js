#!/usr/bin/env node
// `npx satchel backup|restore|import`: Node runs the TypeScript sources directly (type
// stripping), so an older Node first hands the command to the pinned Node 22.
import { requireNode } from "../worker-git/bin/require-node.js";

if (requireNode()) {
  const { main } = await import("../src/cli/main.ts");
  try {
    process.exitCode = await main(process.argv.slice(2), process.env);
  } catch (error) {
    process.stderr.write(`satchel: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  }
}
