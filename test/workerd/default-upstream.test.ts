// Its own file: the seeded default upstream must not leak into the other suites' database.
import { defaultUpstreamSuite } from "../contract/default-upstream.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

defaultUpstreamSuite("workerd", workerdHarness);
