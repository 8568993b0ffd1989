// Its own file: the proxy suite's upstreams (unreachable from this suite's fetch port) stay in its storage.
import { composer1UpstreamSuite } from "../contract/composer1-upstream.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

composer1UpstreamSuite("workerd", workerdHarness);
