// The contract suite on Bun: the same app over the same libSQL file and folder as on Node
// (test/node/node-harness.ts), run by vitest under `bun --bun` (npm run test:bun).
import { afterAll, expect, it } from "vitest";
import { defaultUpstreamSuite } from "../contract/default-upstream.suite.ts";
import { everyContractSuite } from "../contract/every-suite.ts";
import { proxySuite } from "../contract/proxy.suite.ts";
import { nodeHarness } from "../node/node-harness.ts";
import { startHookReceiver } from "../support/hook-receiver.ts";

it("runs on Bun, not Node", () => {
  expect(typeof (globalThis as { Bun?: { version: string } }).Bun?.version).toBe("string");
});

const receiver = await startHookReceiver();
afterAll(() => receiver.close());
everyContractSuite("bun", nodeHarness, () => receiver.url);
proxySuite("bun", nodeHarness);
defaultUpstreamSuite("bun", nodeHarness);
