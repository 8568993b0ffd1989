import { accessSuite } from "../contract/access.suite.ts";
import { authSuite } from "../contract/auth.suite.ts";
import { metadataSuite } from "../contract/metadata.suite.ts";
import { packagesSuite } from "../contract/packages.suite.ts";
import { uploadSuite } from "../contract/upload.suite.ts";
import { incomingHooksSuite } from "../contract/hooks-in.suite.ts";
import { tokenHooksSuite } from "../contract/hooks-token.suite.ts";
import { schedulerSuite } from "../contract/scheduler.suite.ts";
import { updatesDisabledSuite } from "../contract/updates-disabled.suite.ts";
import { visibilitySuite } from "../contract/visibility.suite.ts";
import { inject } from "vitest";
import { outgoingHooksSuite } from "../contract/hooks-out.suite.ts";
import { providerHooksSuite } from "../contract/hooks-provider.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

authSuite("workerd", workerdHarness);
metadataSuite("workerd", workerdHarness);
uploadSuite("workerd", workerdHarness);
accessSuite("workerd", workerdHarness);
packagesSuite("workerd", workerdHarness);
incomingHooksSuite("workerd", workerdHarness);
tokenHooksSuite("workerd", workerdHarness);
schedulerSuite("workerd", workerdHarness);
updatesDisabledSuite("workerd", workerdHarness);
visibilitySuite("workerd", workerdHarness);
// The receiver runs in Node (test/workerd/hook-receiver-setup.ts); workerd reaches it over loopback.
outgoingHooksSuite("workerd", workerdHarness, () => inject("hookReceiverUrl"));
providerHooksSuite("workerd", workerdHarness, () => inject("hookReceiverUrl"));
