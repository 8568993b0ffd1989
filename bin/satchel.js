#!/usr/bin/env node
// Node runs the TypeScript sources directly (type stripping): no build step.
const { main } = await import("../src/cli/main.ts");
try {
  process.exitCode = await main(process.argv.slice(2), process.env);
} catch (error) {
  process.stderr.write(`satchel: ${error instanceof Error ? error.message : String(error)}\n`);
  process.exitCode = 1;
}
