import { inject } from "vitest";
import { everyContractSuite } from "../contract/every-suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

// The receiver runs in Node (test/workerd/hook-receiver-setup.ts); workerd reaches it over loopback.
everyContractSuite("workerd", workerdHarness, () => inject("hookReceiverUrl"));
