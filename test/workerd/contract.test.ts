import { accessSuite } from "../contract/access.suite.ts";
import { authSuite } from "../contract/auth.suite.ts";
import { metadataSuite } from "../contract/metadata.suite.ts";
import { packagesSuite } from "../contract/packages.suite.ts";
import { uploadSuite } from "../contract/upload.suite.ts";
import { workerdHarness } from "./workerd-harness.ts";

authSuite("workerd", workerdHarness);
metadataSuite("workerd", workerdHarness);
uploadSuite("workerd", workerdHarness);
accessSuite("workerd", workerdHarness);
packagesSuite("workerd", workerdHarness);
