import { composer1UpstreamSuite } from "../contract/composer1-upstream.suite.ts";
import { nodeHarness } from "./node-harness.ts";

composer1UpstreamSuite("node", nodeHarness);
