// The contract suite on Bun: the same app over the same libSQL file and folder as on Node
// (test/node/node-harness.ts), run by vitest under `bun --bun` (npm run test:bun).
import { accessSuite } from "../contract/access.suite.ts";
import { authSuite } from "../contract/auth.suite.ts";
import { defaultUpstreamSuite } from "../contract/default-upstream.suite.ts";
import { metadataSuite } from "../contract/metadata.suite.ts";
import { packagesSuite } from "../contract/packages.suite.ts";
import { proxySuite } from "../contract/proxy.suite.ts";
import { uploadSuite } from "../contract/upload.suite.ts";
import { incomingHooksSuite } from "../contract/hooks-in.suite.ts";
import { tokenHooksSuite } from "../contract/hooks-token.suite.ts";
import { schedulerSuite } from "../contract/scheduler.suite.ts";
import { updatesDisabledSuite } from "../contract/updates-disabled.suite.ts";
import { outgoingHooksSuite } from "../contract/hooks-out.suite.ts";
import { providerHooksSuite } from "../contract/hooks-provider.suite.ts";
import { startHookReceiver } from "../support/hook-receiver.ts";
import { afterAll, expect, it } from "vitest";
import { nodeHarness } from "../node/node-harness.ts";

it("runs on Bun, not Node", () => {
  expect(typeof (globalThis as { Bun?: { version: string } }).Bun?.version).toBe("string");
});

authSuite("bun", nodeHarness);
metadataSuite("bun", nodeHarness);
uploadSuite("bun", nodeHarness);
accessSuite("bun", nodeHarness);
packagesSuite("bun", nodeHarness);
incomingHooksSuite("bun", nodeHarness);
tokenHooksSuite("bun", nodeHarness);
schedulerSuite("bun", nodeHarness);
updatesDisabledSuite("bun", nodeHarness);
proxySuite("bun", nodeHarness);
defaultUpstreamSuite("bun", nodeHarness);

const receiver = await startHookReceiver();
afterAll(() => receiver.close());
outgoingHooksSuite("bun", nodeHarness, () => receiver.url);
providerHooksSuite("bun", nodeHarness, () => receiver.url);
