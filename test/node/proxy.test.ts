import { proxySuite } from "../contract/proxy.suite.ts";
import { defaultUpstreamSuite } from "../contract/default-upstream.suite.ts";
import { nodeHarness } from "./node-harness.ts";

proxySuite("node", nodeHarness);
defaultUpstreamSuite("node", nodeHarness);
