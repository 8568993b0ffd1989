// The contract suites every runtime runs over its own storage (the proxy suites need an
// in-process upstream and run from their own files).
import { accessSuite } from "./access.suite.ts";
import { authSuite } from "./auth.suite.ts";
import type { HarnessFactory } from "./harness.ts";
import { incomingHooksSuite } from "./hooks-in.suite.ts";
import { outgoingHooksSuite } from "./hooks-out.suite.ts";
import { providerHooksSuite } from "./hooks-provider.suite.ts";
import { tokenHooksSuite } from "./hooks-token.suite.ts";
import { metadataSuite } from "./metadata.suite.ts";
import { packagesSuite } from "./packages.suite.ts";
import { schedulerSuite } from "./scheduler.suite.ts";
import { updatesDisabledSuite } from "./updates-disabled.suite.ts";
import { uploadSuite } from "./upload.suite.ts";

/** `hookReceiverUrl`: where outgoing hooks can reach test/support/hook-receiver.ts. */
export function everyContractSuite(runtime: string, factory: HarnessFactory, hookReceiverUrl: () => string): void {
  authSuite(runtime, factory);
  metadataSuite(runtime, factory);
  uploadSuite(runtime, factory);
  accessSuite(runtime, factory);
  packagesSuite(runtime, factory);
  incomingHooksSuite(runtime, factory);
  tokenHooksSuite(runtime, factory);
  schedulerSuite(runtime, factory);
  updatesDisabledSuite(runtime, factory);
  outgoingHooksSuite(runtime, factory, hookReceiverUrl);
  providerHooksSuite(runtime, factory, hookReceiverUrl);
}
