import { accessSuite } from "../contract/access.suite.ts";
import { authSuite } from "../contract/auth.suite.ts";
import { metadataSuite } from "../contract/metadata.suite.ts";
import { packagesSuite } from "../contract/packages.suite.ts";
import { uploadSuite } from "../contract/upload.suite.ts";
import { nodeHarness } from "./node-harness.ts";

authSuite("node", nodeHarness);
metadataSuite("node", nodeHarness);
uploadSuite("node", nodeHarness);
accessSuite("node", nodeHarness);
packagesSuite("node", nodeHarness);
