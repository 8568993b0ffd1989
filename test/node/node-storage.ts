// A fresh real Node storage pair: a libSQL file and a blob folder in a temp dir.
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { folderBlobStore } from "../../src/blobs/folder.ts";
import { openLibsqlDatabase } from "../../src/db/libsql.ts";
import type { StoragePorts } from "../contract/fault-harness.ts";

const migrations = path.resolve(import.meta.dirname, "../../migrations");

export const nodeStorage: StoragePorts = async () => {
  const dir = await mkdtemp(path.join(tmpdir(), "satchel-faults-"));
  return { db: await openLibsqlDatabase(`file:${path.join(dir, "satchel.db")}`, migrations), blobs: folderBlobStore(path.join(dir, "blobs")) };
};
