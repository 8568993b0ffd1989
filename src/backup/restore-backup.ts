// POST /api/restore: an archive from GET /api/backup into an empty instance, all or nothing.
// Blobs are written as they arrive (each checked against its checksum); rows wait in memory
// until the archive's MAC has been checked, then go in as one atomic batch. Anything wrong,
// in the archive or in the blob store or database while writing, removes the blobs this
// restore added, so the instance is left as empty as it was.
import type { Services } from "../services.ts";
import { ArchiveError, readArchive, type HeaderFrame } from "./archive-format.ts";
import { isEmptyInstance, restoreStatements, toRestorable, type RestorableTable } from "./backup-store.ts";
import { keyFingerprints } from "./key-fingerprints.ts";
import { takeOperationLease } from "./operation-lease-store.ts";
import { CURRENT_SCHEMA, schemaIndex } from "./schema-version.ts";

export type RestoreOutcome =
  | { ok: true; schema: { archive: string; current: string }; rows: number; blobs: number }
  | { ok: false; reason: "busy" }
  | { ok: false; reason: "not_empty" }
  | { ok: false; reason: "invalid"; message: string };

export interface RestoreLimits {
  maxBlobBytes: number;
  maxLineBytes: number;
}

// Keys as blobs/keys.ts builds them: path segments of safe characters, never `.` or `..`.
const BLOB_KEY = /^(?:[A-Za-z0-9_~-][A-Za-z0-9._~-]*\/)*[A-Za-z0-9_~-][A-Za-z0-9._~-]*$/;
const isSafeBlobKey = (key: string) => key.length <= 1024 && BLOB_KEY.test(key) && !key.split("/").some((part) => part === "." || part === "..");

type RestoreServices = Pick<Services, "db" | "blobs" | "config" | "now" | "log" | "jwt">;

export async function restoreBackup(services: RestoreServices, body: ReadableStream<Uint8Array>, limits: RestoreLimits): Promise<RestoreOutcome> {
  if (!(await isEmptyInstance(services.db))) return { ok: false, reason: "not_empty" };
  const lease = await takeOperationLease(services.db, services.now);
  if (!lease) return { ok: false, reason: "busy" };
  const added: string[] = [];
  try {
    const outcome = await restoreUnderLease(services, body, limits, added, () => lease.renew());
    if (!outcome.ok) await services.blobs.delete(added);
    return outcome;
  } catch (error) {
    // A blob store or database failure midway: take back every blob this restore added.
    await services.blobs.delete(added).catch((cleanup: unknown) => services.log.error("restore cleanup failed", { error: String(cleanup), blobs: added.length }));
    throw error;
  } finally {
    await lease.release();
  }
}

async function restoreUnderLease(services: RestoreServices, body: ReadableStream<Uint8Array>, limits: RestoreLimits, added: string[], renew: () => Promise<boolean>): Promise<RestoreOutcome> {
  const invalid = (message: string): RestoreOutcome => ({ ok: false, reason: "invalid", message });
  const expected = await keyFingerprints(services.config);
  const { signing, verifyOnly } = await services.jwt.kids();
  let header: HeaderFrame | undefined;
  let fromIndex = -1;
  const tables: RestorableTable[] = [];
  let rows = 0;
  let blobs = 0;
  try {
    for await (const frame of readArchive(body, services.config.encryptionKey, limits)) {
      await renew();
      if (frame.type === "header") {
        header = frame;
        fromIndex = schemaIndex(frame.schema);
        if (fromIndex < 0) return invalid(`The archive was made by a newer Satchel (schema ${frame.schema}); upgrade this instance first.`);
        if (frame.keys.encryption !== expected.encryption) {
          return invalid("The archive was made under another ENCRYPTION_KEY: set the source's ENCRYPTION_KEY (and JWT_SECRET) here first, as the README's backup section says.");
        }
        // The archive's tokens verify here if its signing key is this instance's or one it still accepts.
        if (frame.keys.jwt !== signing && !verifyOnly.includes(frame.keys.jwt)) {
          return invalid("The archive was made under another JWT_SECRET: its API tokens would stop working. Set the source's JWT_SECRET here first.");
        }
      } else if (frame.type === "rows") {
        const restorable = toRestorable(frame.table, frame.columns, frame.rows, fromIndex);
        if (restorable) {
          tables.push(restorable);
          rows += restorable.rows.length;
        }
      } else {
        if (!isSafeBlobKey(frame.key)) return invalid(`The archive holds a blob key this instance does not accept: ${JSON.stringify(frame.key.slice(0, 200))}.`);
        const existed = await services.blobs.has(frame.key);
        await services.blobs.put(frame.key, frame.bytes);
        if (!existed) added.push(frame.key);
        blobs++;
      }
    }
  } catch (error) {
    if (error instanceof ArchiveError) return invalid(error.message);
    throw error;
  }
  if (!header) return invalid("The archive is empty.");
  const statements = restoreStatements(services.db, tables, services.now());
  try {
    await services.db.batch(statements);
  } catch (error) {
    // The guard statement fails when data appeared since the emptiness check.
    if (!(await isEmptyInstance(services.db))) return { ok: false, reason: "not_empty" };
    throw error;
  }
  return { ok: true, schema: { archive: header.schema, current: CURRENT_SCHEMA }, rows, blobs };
}
