// Inflates zip entries in small pieces and stops at the first byte that breaks a rule: more
// than the entry declares, more than the archive may unpack to, or a bomb's ratio. Declared
// sizes are never trusted: each entry must inflate to exactly its declared size and checksum.
// Work is paced: a macrotask turn every few MB, so other requests (/healthz) keep answering
// while a large or hostile archive is read.
import { Inflate } from "fflate";
import { AppError } from "../http/errors.ts";
import { invalidArchive, quotedEntry } from "./archive-error.ts";
import { crc32 } from "./crc32.ts";
import type { ZipEntry } from "./zip-directory.ts";

export interface UnpackLimits {
  maxUnpackedBytes: number;
}

/** Compressed bytes per inflate step: deflate expands at most ~1032x, so one step yields at most ~4 MB. */
const INPUT_PIECE = 4 * 1024;
const STORED_PIECE = 1024 * 1024;
const BYTES_BETWEEN_TURNS = 4 * 1024 * 1024;
const ENTRIES_BETWEEN_TURNS = 256;
/** Per entry: more than 1 MB at over 1000:1 is a bomb (deflate's best is about 1032:1). */
const RATIO_FLOOR_BYTES = 1024 * 1024;
const MAX_RATIO = 1000;

/** Why `size` bytes of `entry`, after `before` bytes of earlier entries, are refused; or null. */
export function growthProblem(entry: ZipEntry, size: number, before: number, limits: UnpackLimits): AppError | null {
  if (before + size > limits.maxUnpackedBytes) return invalidArchive(`The archive unpacks to more than the limit of ${limits.maxUnpackedBytes} bytes (reached at ${quotedEntry(entry.name)}).`);
  if (size > RATIO_FLOOR_BYTES && size > entry.compressedSize * MAX_RATIO) return invalidArchive(`The entry ${quotedEntry(entry.name)} has a suspicious compression ratio (zip bomb).`);
  return null;
}

/** Gives the event loop a turn every few MB or few hundred entries. */
export class Pacer {
  private bytes = 0;
  private entries = 0;

  async step(bytes: number, entries = 0): Promise<void> {
    this.bytes += bytes;
    this.entries += entries;
    if (this.bytes < BYTES_BETWEEN_TURNS && this.entries < ENTRIES_BETWEEN_TURNS) return;
    this.bytes = 0;
    this.entries = 0;
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
}

/**
 * Inflates one entry, checking every piece as it comes. `before`: bytes the archive's earlier
 * entries unpacked to. Returns the content when `keep` (a buffer of the declared size: only for
 * entries already checked to be small, like composer.json), else null (verified and dropped).
 */
export async function inflateEntry(bytes: Uint8Array, entry: ZipEntry, options: { before: number; limits: UnpackLimits; pacer: Pacer; keep?: boolean }): Promise<Uint8Array | null> {
  // Never more than the declared size is accepted, so the content fits a buffer of that size.
  const kept = options.keep ? new Uint8Array(entry.size) : null;
  let size = 0;
  let crc = 0;
  const accept = (piece: Uint8Array) => {
    size += piece.length;
    if (size > entry.size) throw invalidArchive(`The entry ${quotedEntry(entry.name)} inflates to more than the ${entry.size} bytes it declares.`);
    const problem = growthProblem(entry, size, options.before, options.limits);
    if (problem) throw problem;
    crc = crc32(piece, crc);
    kept?.set(piece, size - piece.length);
  };
  const data = bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize);
  if (entry.flags & 0x1) throw invalidArchive(`The entry ${quotedEntry(entry.name)} is encrypted.`);
  if (entry.method === 0) {
    for (let at = 0; at < data.length; at += STORED_PIECE) {
      accept(data.subarray(at, at + STORED_PIECE));
      await options.pacer.step(Math.min(STORED_PIECE, data.length - at));
    }
  } else if (entry.method === 8) {
    await inflatePieces(entry, data, accept, options.pacer);
  } else {
    throw invalidArchive(`The entry ${quotedEntry(entry.name)} uses compression method ${entry.method}; only stored and deflate are supported.`);
  }
  if (size !== entry.size) throw invalidArchive(`The entry ${quotedEntry(entry.name)} inflates to ${size} bytes, not the ${entry.size} it declares.`);
  if (crc !== entry.crc32) throw invalidArchive(`The entry ${quotedEntry(entry.name)} is corrupt (its CRC-32 does not match).`);
  await options.pacer.step(0, 1);
  return kept;
}

/** Deflate in 4 KB steps: fflate's ondata hands each step's output to `accept` before the next. */
async function inflatePieces(entry: ZipEntry, data: Uint8Array, accept: (piece: Uint8Array) => void, pacer: Pacer): Promise<void> {
  let produced = 0;
  const inflater = new Inflate((piece) => {
    produced += piece.length;
    accept(piece);
  });
  for (let at = 0; ; at += INPUT_PIECE) {
    const last = at + INPUT_PIECE >= data.length;
    try {
      inflater.push(data.subarray(at, at + INPUT_PIECE), last);
    } catch (error) {
      if (error instanceof AppError) throw error;
      throw invalidArchive(`The entry ${quotedEntry(entry.name)} could not be inflated (${error instanceof Error ? error.message : "corrupt data"}).`);
    }
    await pacer.step(produced + INPUT_PIECE);
    produced = 0;
    if (last) return;
  }
}
