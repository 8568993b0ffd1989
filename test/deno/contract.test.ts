// The contract suite on Deno: every suite test/node/contract.test.ts runs, over the same app,
// libSQL file and folder (test/node/node-harness.ts), run by vitest under Deno
// (npm run test:deno). Importing that file keeps one list of suites for all runtimes; their
// titles still say "node:", the project name says "deno".
import { expect, it } from "vitest";
import "../node/contract.test.ts";

it("runs on Deno, not Node", () => {
  expect(typeof (globalThis as { Deno?: { version: { deno: string } } }).Deno?.version.deno).toBe("string");
});
