// The storage-fault suite on Node: a real libSQL file and a real folder, behind fault injection.
import { storageFaultsSuite } from "../contract/storage-faults.suite.ts";
import { nodeStorage } from "./node-storage.ts";

storageFaultsSuite("node", nodeStorage, { stalls: true });
