// The blob-store contract inside workerd, on a real R2 binding.
import { env } from "cloudflare:workers";
import { r2BlobStore } from "../../src/blobs/r2.ts";
import { blobStoreSuite } from "../contract/blob-store.suite.ts";

blobStoreSuite("r2", async () => r2BlobStore(env.BLOBS));
