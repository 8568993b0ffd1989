import { accessSuite } from "../contract/access.suite.ts";
import { authSuite } from "../contract/auth.suite.ts";
import { bodyLimitsSuite } from "../contract/body-limits.suite.ts";
import { securityHeadersSuite } from "../contract/security-headers.suite.ts";
import { tokenRightsSuite } from "../contract/token-rights.suite.ts";
import { loginThrottleSuite } from "../contract/login-throttle.suite.ts";
import { tokenChainsSuite } from "../contract/token-chains.suite.ts";
import { metadataSuite } from "../contract/metadata.suite.ts";
import { packagesSuite } from "../contract/packages.suite.ts";
import { uploadSuite } from "../contract/upload.suite.ts";
import { incomingHooksSuite } from "../contract/hooks-in.suite.ts";
import { tokenHooksSuite } from "../contract/hooks-token.suite.ts";
import { schedulerSuite } from "../contract/scheduler.suite.ts";
import { updatesDisabledSuite } from "../contract/updates-disabled.suite.ts";
import { visibilitySuite } from "../contract/visibility.suite.ts";
import { isolationSuite } from "../contract/isolation.suite.ts";
import { inject } from "vitest";
import { outgoingHooksSuite } from "../contract/hooks-out.suite.ts";
import { providerHooksSuite } from "../contract/hooks-provider.suite.ts";
import { trustedPublishingSuite } from "../contract/trusted-publishing.suite.ts";
import { serviceAccountsSuite } from "../contract/service-accounts.suite.ts";
import { tokenFormatSuite } from "../contract/token-format.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

authSuite("workerd", workerdHarness);
bodyLimitsSuite("workerd", workerdHarness);
securityHeadersSuite("workerd", workerdHarness);
tokenRightsSuite("workerd", workerdHarness);
loginThrottleSuite("workerd", workerdHarness);
metadataSuite("workerd", workerdHarness);
uploadSuite("workerd", workerdHarness);
accessSuite("workerd", workerdHarness);
packagesSuite("workerd", workerdHarness);
incomingHooksSuite("workerd", workerdHarness);
tokenHooksSuite("workerd", workerdHarness);
schedulerSuite("workerd", workerdHarness);
updatesDisabledSuite("workerd", workerdHarness);
visibilitySuite("workerd", workerdHarness);
isolationSuite("workerd", workerdHarness);
serviceAccountsSuite("workerd", workerdHarness);
tokenFormatSuite("workerd", workerdHarness);
// The receiver runs in Node (test/workerd/hook-receiver-setup.ts); workerd reaches it over loopback.
outgoingHooksSuite("workerd", workerdHarness, () => inject("hookReceiverUrl"));
providerHooksSuite("workerd", workerdHarness, () => inject("hookReceiverUrl"));
// The CI tokens' issuer runs in Node too (test/workerd/hook-receiver-setup.ts).
trustedPublishingSuite("workerd", workerdHarness, () => inject("ciIssuerUrl"));
// Package-confined tokens join the token-chain property run.
tokenChainsSuite("workerd", workerdHarness, () => inject("ciIssuerUrl"));
