// The storage-fault suite on Node: a real libSQL file and a real folder, behind fault injection.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { folderBlobStore } from "../../src/blobs/folder.ts";
import { openLibsqlDatabase } from "../../src/db/libsql.ts";
import { storageFaultsSuite } from "../contract/storage-faults.suite.ts";

const migrations = path.resolve(import.meta.dirname, "../../migrations");

storageFaultsSuite("node", async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-faults-"));
  return { db: await openLibsqlDatabase(`file:${path.join(dir, "satchel.db")}`, migrations), blobs: folderBlobStore(path.join(dir, "blobs")) };
});
