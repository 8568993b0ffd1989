// The contract suite on Bun: every suite test/node/contract.test.ts runs, over the same app,
// libSQL file and folder (test/node/node-harness.ts), run by vitest under `bun --bun`
// (npm run test:bun). Importing that file keeps one list of suites for both; their titles
// still say "node:", the project name says "bun".
import { expect, it } from "vitest";
import "../node/contract.test.ts";

it("runs on Bun, not Node", () => {
  expect(typeof (globalThis as { Bun?: { version: string } }).Bun?.version).toBe("string");
});
