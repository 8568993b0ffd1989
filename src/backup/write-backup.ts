// GET /api/backup's body: the rows of one consistent snapshot, then every blob, then the MAC.
// Blobs are content-addressed or keyed by commit, so the ones the snapshot's rows point at do
// not change while the backup streams; garbage collection waits while a backup holds the lease.
import type { Services } from "../services.ts";
import { ArchiveWriter } from "./archive-format.ts";
import { readSnapshot, type TableSnapshot } from "./backup-store.ts";
import { keyFingerprints } from "./key-fingerprints.ts";
import { takeOperationLease } from "./operation-lease-store.ts";
import { CURRENT_SCHEMA } from "./schema-version.ts";

// Rows frames stay well under a reader's line limit.
const ROWS_FRAME_BYTES = 512 * 1024;

/** The archive as a stream, or null while another backup or restore runs. */
export async function startBackup(services: Pick<Services, "db" | "blobs" | "config" | "now" | "log">): Promise<ReadableStream<Uint8Array> | null> {
  const lease = await takeOperationLease(services.db, services.now);
  if (!lease) return null;
  try {
    const snapshot = await readSnapshot(services.db);
    const keys = await keyFingerprints(services.config);
    const chunks = archiveChunks(services, snapshot, keys);
    return new ReadableStream<Uint8Array>({
      async pull(controller) {
        try {
          await lease.renew();
          const next = await chunks.next();
          if (next.done) {
            controller.close();
            await lease.release();
          } else controller.enqueue(next.value);
        } catch (error) {
          // The reader gets a stream without its final MAC: a restore refuses it whole.
          services.log.error("backup failed", { error: error instanceof Error ? error.message : String(error) });
          controller.error(error);
          await lease.release();
        }
      },
      async cancel() {
        await chunks.return(undefined);
        await lease.release();
      },
    });
  } catch (error) {
    await lease.release();
    throw error;
  }
}

async function* archiveChunks(
  services: Pick<Services, "blobs" | "config" | "now">,
  snapshot: TableSnapshot[],
  keys: { jwt: string; encryption: string },
): AsyncGenerator<Uint8Array> {
  const writer = new ArchiveWriter(services.config.encryptionKey);
  yield writer.magic();
  yield writer.header({ schema: CURRENT_SCHEMA, createdAt: new Date(services.now()).toISOString(), keys });
  for (const { table, columns, rows } of snapshot) {
    let batch: unknown[][] = [];
    let bytes = 0;
    for (const row of rows) {
      batch.push(row);
      bytes += JSON.stringify(row).length;
      if (bytes >= ROWS_FRAME_BYTES) {
        yield writer.rows(table, columns, batch);
        batch = [];
        bytes = 0;
      }
    }
    if (batch.length > 0 || rows.length === 0) yield writer.rows(table, columns, batch);
  }
  for await (const { key } of services.blobs.list("")) {
    const blob = await services.blobs.get(key);
    // Gone since the listing (its package was deleted meanwhile): the copy lacks it as the source now does.
    if (!blob) continue;
    yield* writer.blob(key, await blob.bytes());
  }
  yield writer.end();
}
