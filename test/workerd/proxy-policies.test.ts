// Its own file: the workerd suites of one file share a D1 database, and the proxy suite's upstreams would answer first.
import { proxyPoliciesSuite } from "../contract/proxy-policies.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

proxyPoliciesSuite("workerd", workerdHarness);
