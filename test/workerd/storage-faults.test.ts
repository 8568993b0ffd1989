// The storage-fault suite inside workerd: real D1 and R2 bindings, behind fault injection.
import { env } from "cloudflare:workers";
import { r2BlobStore } from "../../src/blobs/r2.ts";
import { d1Database } from "../../src/db/d1.ts";
import { storageFaultsSuite } from "../contract/storage-faults.suite.ts";

storageFaultsSuite("workerd", async () => ({ db: d1Database(env.DB), blobs: r2BlobStore(env.BLOBS) }), { stalls: false });
