// The backup archive, as bytes: a magic line, then frames. A frame is one JSON line; a blob
// frame's line is followed by exactly `size` raw bytes. The last frame ("end") carries an
// HMAC-SHA256 of every byte before it, keyed from ENCRYPTION_KEY, so a truncated, reordered or
// edited archive is refused whole, and only an instance holding the same key accepts it.
import { createHash, createHmac, type Hmac } from "node:crypto";
import { constantTimeEqual } from "../crypto/constant-time.ts";

export const ARCHIVE_MAGIC = "SATCHEL-BACKUP/1\n";
export const ARCHIVE_CONTENT_TYPE = "application/vnd.satchel.backup";

export interface HeaderFrame {
  type: "header";
  format: 1;
  /** The newest migration the rows were written under (src/backup/schema-version.ts). */
  schema: string;
  createdAt: string;
  /** Fingerprints, never the keys: which JWT_SECRET and ENCRYPTION_KEY the data needs. */
  keys: { jwt: string; encryption: string };
}
export interface RowsFrame {
  type: "rows";
  table: string;
  columns: string[];
  rows: unknown[][];
}
export interface BlobFrame {
  type: "blob";
  key: string;
  size: number;
  sha256: string;
}
export interface EndFrame {
  type: "end";
  rows: number;
  blobs: number;
  mac: string;
}
export type Frame = HeaderFrame | RowsFrame | BlobFrame | EndFrame;

/** The archive is not one this instance can trust: nothing from it may be written. */
export class ArchiveError extends Error {}

const encoder = new TextEncoder();

function macKey(encryptionKey: string): Buffer {
  return createHmac("sha256", encryptionKey).update("satchel backup archive mac v1").digest();
}

export const sha256Of = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

/** Encodes frames in order, keeping the running MAC; `end()` gives the last frame. */
export class ArchiveWriter {
  readonly #mac: Hmac;
  #rows = 0;
  #blobs = 0;

  constructor(encryptionKey: string) {
    this.#mac = createHmac("sha256", macKey(encryptionKey));
  }

  magic(): Uint8Array {
    return this.#take(encoder.encode(ARCHIVE_MAGIC));
  }

  header(frame: Omit<HeaderFrame, "type" | "format">): Uint8Array {
    return this.#line({ type: "header", format: 1, ...frame });
  }

  rows(table: string, columns: string[], rows: unknown[][]): Uint8Array {
    this.#rows += rows.length;
    return this.#line({ type: "rows", table, columns, rows });
  }

  /** The blob's frame line and its bytes. */
  blob(key: string, bytes: Uint8Array): Uint8Array[] {
    this.#blobs++;
    return [this.#line({ type: "blob", key, size: bytes.length, sha256: sha256Of(bytes) }), this.#take(bytes)];
  }

  end(): Uint8Array {
    const mac = this.#mac.digest("hex");
    return encoder.encode(`${JSON.stringify({ type: "end", rows: this.#rows, blobs: this.#blobs, mac } satisfies EndFrame)}\n`);
  }

  #line(frame: Frame): Uint8Array {
    return this.#take(encoder.encode(`${JSON.stringify(frame)}\n`));
  }

  #take(bytes: Uint8Array): Uint8Array {
    this.#mac.update(bytes);
    return bytes;
  }
}

export interface ReadLimits {
  /** The longest frame line (a rows frame). */
  maxLineBytes: number;
  /** The largest blob. */
  maxBlobBytes: number;
}

export type ReadFrame = HeaderFrame | RowsFrame | (BlobFrame & { bytes: Uint8Array });

/**
 * Reads an archive as it streams in, yielding verified frames (a blob only once its bytes match
 * its checksum). Throws ArchiveError on anything out of shape, and at the end unless the MAC
 * covers exactly the bytes read: a caller must treat nothing as final before the loop ends.
 */
export async function* readArchive(body: ReadableStream<Uint8Array>, encryptionKey: string, limits: ReadLimits): AsyncGenerator<ReadFrame> {
  const input = new ByteReader(body);
  const mac = createHmac("sha256", macKey(encryptionKey));
  const magic = await input.exactly(ARCHIVE_MAGIC.length);
  if (!magic || new TextDecoder().decode(magic) !== ARCHIVE_MAGIC) throw new ArchiveError("This is not a Satchel backup (no SATCHEL-BACKUP/1 header).");
  mac.update(magic);
  let rows = 0;
  let blobs = 0;
  let sawHeader = false;
  for (;;) {
    const line = await input.line(limits.maxLineBytes);
    if (line === null) throw new ArchiveError("The archive is truncated: it ends before its final checksum.");
    const frame = parseFrame(line);
    if (frame.type === "end") {
      if (!constantTimeEqual(mac.digest("hex"), frame.mac)) {
        throw new ArchiveError("The archive's checksum does not match: it was altered, or made with another ENCRYPTION_KEY.");
      }
      if (frame.rows !== rows || frame.blobs !== blobs) throw new ArchiveError("The archive's counts do not match its contents.");
      if (!(await input.atEnd())) throw new ArchiveError("The archive has bytes after its final checksum.");
      return;
    }
    mac.update(line);
    if (frame.type === "header") {
      if (sawHeader) throw new ArchiveError("The archive has two headers.");
      sawHeader = true;
      yield frame;
      continue;
    }
    if (!sawHeader) throw new ArchiveError("The archive does not start with its header.");
    if (frame.type === "rows") {
      rows += frame.rows.length;
      yield frame;
      continue;
    }
    if (frame.size > limits.maxBlobBytes) throw new ArchiveError(`The blob ${frame.key} is larger than this instance accepts.`);
    const bytes = await input.exactly(frame.size);
    if (!bytes) throw new ArchiveError("The archive is truncated inside a blob.");
    mac.update(bytes);
    if (!constantTimeEqual(sha256Of(bytes), frame.sha256)) throw new ArchiveError(`The blob ${frame.key} does not match its checksum.`);
    blobs++;
    yield { ...frame, bytes };
  }
}

function parseFrame(line: Uint8Array): Frame {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder("utf-8", { fatal: true, ignoreBOM: false }).decode(line));
  } catch {
    throw new ArchiveError("The archive holds a frame that is not JSON.");
  }
  const frame = value as Record<string, unknown>;
  const ok =
    typeof value === "object" && value !== null &&
    ((frame.type === "header" && frame.format === 1 && typeof frame.schema === "string" && isKeyFingerprints(frame.keys)) ||
      (frame.type === "rows" && typeof frame.table === "string" && isStringArray(frame.columns) && Array.isArray(frame.rows) && frame.rows.every((row) => Array.isArray(row) && row.length === (frame.columns as string[]).length)) ||
      (frame.type === "blob" && typeof frame.key === "string" && Number.isSafeInteger(frame.size) && (frame.size as number) >= 0 && typeof frame.sha256 === "string") ||
      (frame.type === "end" && typeof frame.mac === "string" && Number.isSafeInteger(frame.rows) && Number.isSafeInteger(frame.blobs)));
  if (!ok) throw new ArchiveError("The archive holds a frame of an unknown shape.");
  return value as Frame;
}

const isStringArray = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === "string");
const isKeyFingerprints = (value: unknown) =>
  typeof value === "object" && value !== null && typeof (value as Record<string, unknown>).jwt === "string" && typeof (value as Record<string, unknown>).encryption === "string";

/** Lines and exact byte counts out of a stream of chunks, copying each byte once. */
class ByteReader {
  readonly #reader: ReadableStreamDefaultReader<Uint8Array>;
  #chunks: Uint8Array[] = [];
  #length = 0;
  #done = false;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.getReader();
  }

  async #fill(): Promise<boolean> {
    if (this.#done) return false;
    const { done, value } = await this.#reader.read();
    if (done) {
      this.#done = true;
      return false;
    }
    if (value.length > 0) {
      this.#chunks.push(value);
      this.#length += value.length;
    }
    return true;
  }

  #take(length: number): Uint8Array {
    const taken = new Uint8Array(length);
    let filled = 0;
    while (filled < length) {
      const chunk = this.#chunks[0]!;
      const part = Math.min(chunk.length, length - filled);
      taken.set(part === chunk.length ? chunk : chunk.subarray(0, part), filled);
      filled += part;
      if (part === chunk.length) this.#chunks.shift();
      else this.#chunks[0] = chunk.subarray(part);
    }
    this.#length -= length;
    return taken;
  }

  /** The next line with its newline; null at the end of the stream (a partial line included). */
  async line(maxBytes: number): Promise<Uint8Array | null> {
    let offset = 0;
    let index = 0;
    for (;;) {
      for (; index < this.#chunks.length; index++) {
        const newline = this.#chunks[index]!.indexOf(10);
        if (newline >= 0) return this.#take(offset + newline + 1);
        offset += this.#chunks[index]!.length;
      }
      if (offset > maxBytes) throw new ArchiveError("The archive holds a frame longer than this instance accepts.");
      if (!(await this.#fill())) return null;
    }
  }

  async exactly(length: number): Promise<Uint8Array | null> {
    while (this.#length < length) if (!(await this.#fill())) return null;
    return this.#take(length);
  }

  async atEnd(): Promise<boolean> {
    while (this.#length === 0) if (!(await this.#fill())) return true;
    return false;
  }
}
