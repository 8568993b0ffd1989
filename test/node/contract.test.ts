import { accessSuite } from "../contract/access.suite.ts";
import { authSuite } from "../contract/auth.suite.ts";
import { metadataSuite } from "../contract/metadata.suite.ts";
import { packagesSuite } from "../contract/packages.suite.ts";
import { uploadSuite } from "../contract/upload.suite.ts";
import { incomingHooksSuite } from "../contract/hooks-in.suite.ts";
import { tokenHooksSuite } from "../contract/hooks-token.suite.ts";
import { schedulerSuite } from "../contract/scheduler.suite.ts";
import { updatesDisabledSuite } from "../contract/updates-disabled.suite.ts";
import { outgoingHooksSuite } from "../contract/hooks-out.suite.ts";
import { providerHooksSuite } from "../contract/hooks-provider.suite.ts";
import { startHookReceiver } from "../support/hook-receiver.ts";
import { afterAll } from "vitest";
import { nodeHarness } from "./node-harness.ts";

authSuite("node", nodeHarness);
metadataSuite("node", nodeHarness);
uploadSuite("node", nodeHarness);
accessSuite("node", nodeHarness);
packagesSuite("node", nodeHarness);
incomingHooksSuite("node", nodeHarness);
tokenHooksSuite("node", nodeHarness);
schedulerSuite("node", nodeHarness);
updatesDisabledSuite("node", nodeHarness);

const receiver = await startHookReceiver();
afterAll(() => receiver.close());
outgoingHooksSuite("node", nodeHarness, () => receiver.url);
providerHooksSuite("node", nodeHarness, () => receiver.url);
