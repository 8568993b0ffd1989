// Reading and building backup archives in tests: what GET /api/backup streamed, and hand-made
// archives (an older schema, a crafted key) signed as an instance with TEST_CONFIG's key would.
import { ArchiveWriter, readArchive, type ReadFrame } from "../../src/backup/archive-format.ts";
import { keyFingerprints } from "../../src/backup/key-fingerprints.ts";
import { TEST_CONFIG } from "./harness.ts";

export const ARCHIVE_LIMITS = { maxLineBytes: 16 * 1024 * 1024, maxBlobBytes: 64 * 1024 * 1024 };

export async function archiveFrames(bytes: Uint8Array, encryptionKey = TEST_CONFIG.encryptionKey): Promise<ReadFrame[]> {
  const frames: ReadFrame[] = [];
  for await (const frame of readArchive(new Response(bytes).body!, encryptionKey, ARCHIVE_LIMITS)) frames.push(frame);
  return frames;
}

/** A table's rows from an archive, as objects keyed by SQL column name. */
export function archivedRows(frames: ReadFrame[], table: string): Record<string, unknown>[] {
  return frames.flatMap((frame) =>
    frame.type === "rows" && frame.table === table ? frame.rows.map((row) => Object.fromEntries(frame.columns.map((column, i) => [column, row[i]]))) : [],
  );
}

/** Re-encodes frames (rows edited, an older schema named) as a valid archive under `keys`. */
export async function buildArchive(frames: ReadFrame[], options: { schema?: string; keys?: { jwtSecret: string; encryptionKey: string } } = {}): Promise<Uint8Array> {
  const keys = options.keys ?? TEST_CONFIG;
  const writer = new ArchiveWriter(keys.encryptionKey);
  const parts: Uint8Array[] = [writer.magic()];
  for (const frame of frames) {
    if (frame.type === "header") parts.push(writer.header({ schema: options.schema ?? frame.schema, createdAt: frame.createdAt, keys: await keyFingerprints(keys) }));
    else if (frame.type === "rows") parts.push(writer.rows(frame.table, frame.columns, frame.rows));
    else parts.push(...writer.blob(frame.key, frame.bytes));
  }
  parts.push(writer.end());
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}
