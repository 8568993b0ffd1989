import { proxySuite } from "../contract/proxy.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

proxySuite("workerd", workerdHarness);
