import { proxyPoliciesSuite } from "../contract/proxy-policies.suite.ts";
import { nodeHarness } from "./node-harness.ts";

proxyPoliciesSuite("node", nodeHarness);
