import { afterAll } from "vitest";
import { everyContractSuite } from "../contract/every-suite.ts";
import { startHookReceiver } from "../support/hook-receiver.ts";
import { nodeHarness } from "./node-harness.ts";

const receiver = await startHookReceiver();
afterAll(() => receiver.close());
everyContractSuite("node", nodeHarness, () => receiver.url);
