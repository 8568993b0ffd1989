// Reads a zip's central directory (what unzip and PHP's ZipArchive extract from) without
// trusting it: every offset must land inside the archive, every local header must repeat its
// central entry's name and method, and no two entries may share bytes (the overlapping-entry
// bomb). Sizes are only *declared* here; bounded-unzip.ts checks them against the real bytes.
import { invalidArchive, quotedEntry } from "./archive-error.ts";

export interface ZipEntry {
  name: string;
  nameBytes: Uint8Array;
  /** General purpose flags: bit 0 encrypted, bit 3 sizes in a data descriptor, bit 11 UTF-8 name. */
  flags: number;
  /** 0 stored, 8 deflate. */
  method: number;
  crc32: number;
  compressedSize: number;
  /** The declared uncompressed size. */
  size: number;
  /** Upper byte: the host system (3 unix, 19 macOS), whose rules the external attributes follow. */
  madeBy: number;
  externalAttributes: number;
  internalAttributes: number;
  dosTime: number;
  dosDate: number;
  localHeaderOffset: number;
  /** Where the compressed bytes start (after the local header). */
  dataOffset: number;
}

const END_OF_DIRECTORY = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_END_OF_DIRECTORY = 0x06064b50;
const CENTRAL_HEADER = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;
const MAX16 = 0xffff;
const MAX32 = 0xffffffff;

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

export function readZipDirectory(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  try {
    return readEntries(bytes, maxEntries);
  } catch (error) {
    // A length field that points past the end of the bytes.
    if (error instanceof RangeError) throw invalidArchive("The upload is not a readable zip archive (a header runs past its end).");
    throw error;
  }
}

function readEntries(bytes: Uint8Array, maxEntries: number): ZipEntry[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(bytes, view);
  const { count, directoryOffset, directoryEnd } = directoryBounds(view, end);
  if (count > maxEntries) throw invalidArchive(`The archive has more than ${maxEntries} entries.`);
  const entries: ZipEntry[] = [];
  let offset = directoryOffset;
  for (let n = 0; n < count; n++) {
    if (offset + 46 > directoryEnd || view.getUint32(offset, true) !== CENTRAL_HEADER) throw invalidArchive("The archive's central directory is damaged.");
    const entry = centralEntry(bytes, view, offset);
    entries.push(entry);
    offset += 46 + entry.nameBytes.length + view.getUint16(offset + 30, true) + view.getUint16(offset + 32, true);
  }
  if (offset !== directoryEnd) throw invalidArchive("The archive's central directory does not match its entry count.");
  for (const entry of entries) entry.dataOffset = checkLocalHeader(bytes, view, entry, directoryOffset);
  checkNoOverlap(entries);
  return entries;
}

function findEndOfDirectory(bytes: Uint8Array, view: DataView): number {
  // The record is 22 bytes plus a comment of up to 64 KB, and its comment must end the file.
  for (let at = bytes.length - 22; at >= 0 && at >= bytes.length - 22 - MAX16; at--) {
    if (view.getUint32(at, true) === END_OF_DIRECTORY && at + 22 + view.getUint16(at + 20, true) === bytes.length) return at;
  }
  throw invalidArchive("The upload is not a readable zip archive (no end of central directory).");
}

function directoryBounds(view: DataView, end: number) {
  if (view.getUint16(end + 4, true) !== 0 || view.getUint16(end + 6, true) !== 0) throw invalidArchive("Multi-part (spanned) zip archives are not supported.");
  let count = view.getUint16(end + 10, true);
  let size = view.getUint32(end + 12, true);
  let directoryOffset = view.getUint32(end + 16, true);
  let directoryEnd = end;
  const saturated = count === MAX16 || size === MAX32 || directoryOffset === MAX32;
  // Zip64 writers (Info-ZIP from a pipe, for one) put a zip64 end record and its locator before the end record.
  const locator = end - 20;
  if (locator >= 0 && view.getUint32(locator, true) === ZIP64_LOCATOR) {
    const record = readUint64(view, locator + 8);
    if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_END_OF_DIRECTORY) throw invalidArchive("The archive's zip64 directory is damaged.");
    count = readUint64(view, record + 32);
    size = readUint64(view, record + 40);
    directoryOffset = readUint64(view, record + 48);
    directoryEnd = record;
  } else if (saturated) {
    throw invalidArchive("The archive's zip64 directory is missing.");
  }
  // No bytes may hide between the directory and its end record.
  if (directoryOffset + size !== directoryEnd) throw invalidArchive("The archive's central directory is not where its end record says.");
  return { count, directoryOffset, directoryEnd };
}

function centralEntry(bytes: Uint8Array, view: DataView, offset: number): ZipEntry {
  const flags = view.getUint16(offset + 8, true);
  const nameLength = view.getUint16(offset + 28, true);
  const extraLength = view.getUint16(offset + 30, true);
  const nameBytes = bytes.subarray(offset + 46, offset + 46 + nameLength);
  const entry: ZipEntry = {
    name: decodeName(nameBytes, flags),
    nameBytes,
    flags,
    method: view.getUint16(offset + 10, true),
    crc32: view.getUint32(offset + 16, true),
    compressedSize: view.getUint32(offset + 20, true),
    size: view.getUint32(offset + 24, true),
    madeBy: view.getUint16(offset + 4, true),
    externalAttributes: view.getUint32(offset + 38, true),
    internalAttributes: view.getUint16(offset + 36, true),
    dosTime: view.getUint16(offset + 12, true),
    dosDate: view.getUint16(offset + 14, true),
    localHeaderOffset: view.getUint32(offset + 42, true),
    dataOffset: 0,
  };
  if (view.getUint16(offset + 34, true) !== 0) throw invalidArchive(`The entry ${quotedEntry(entry.name)} is on another disk of a spanned archive.`);
  applyZip64Extra(view, offset + 46 + nameLength, extraLength, entry);
  return entry;
}

/** Zip64 keeps the real sizes and offset of fields set to 0xFFFFFFFF in extra field 0x0001. */
function applyZip64Extra(view: DataView, start: number, length: number, entry: ZipEntry): void {
  const wanted = [entry.size === MAX32, entry.compressedSize === MAX32, entry.localHeaderOffset === MAX32];
  if (!wanted.some(Boolean)) return;
  for (let at = start; at + 4 <= start + length; at += 4 + view.getUint16(at + 2, true)) {
    if (view.getUint16(at, true) !== 0x0001) continue;
    let field = at + 4;
    const fieldEnd = field + view.getUint16(at + 2, true);
    const next = () => {
      if (field + 8 > fieldEnd) throw invalidArchive(`The entry ${quotedEntry(entry.name)} has a damaged zip64 field.`);
      const value = readUint64(view, field);
      field += 8;
      return value;
    };
    if (wanted[0]) entry.size = next();
    if (wanted[1]) entry.compressedSize = next();
    if (wanted[2]) entry.localHeaderOffset = next();
    return;
  }
  throw invalidArchive(`The entry ${quotedEntry(entry.name)} lacks its zip64 sizes.`);
}

function checkLocalHeader(bytes: Uint8Array, view: DataView, entry: ZipEntry, directoryOffset: number): number {
  const at = entry.localHeaderOffset;
  const damaged = () => invalidArchive(`The local header of ${quotedEntry(entry.name)} is missing or does not match the central directory.`);
  if (at + 30 > directoryOffset || view.getUint32(at, true) !== LOCAL_HEADER) throw damaged();
  const nameLength = view.getUint16(at + 26, true);
  const dataOffset = at + 30 + nameLength + view.getUint16(at + 28, true);
  if (view.getUint16(at + 8, true) !== entry.method || !sameBytes(bytes.subarray(at + 30, at + 30 + nameLength), entry.nameBytes)) throw damaged();
  // Without a data descriptor (flag bit 3) the local header repeats the checksum and sizes;
  // a streaming extractor trusts these, so they must agree too.
  if (!(view.getUint16(at + 6, true) & 0x8)) {
    const compressed = view.getUint32(at + 18, true);
    const size = view.getUint32(at + 22, true);
    if (view.getUint32(at + 14, true) !== entry.crc32 || (compressed !== MAX32 && compressed !== entry.compressedSize) || (size !== MAX32 && size !== entry.size)) throw damaged();
  }
  if (dataOffset + entry.compressedSize > directoryOffset) throw invalidArchive(`The data of ${quotedEntry(entry.name)} runs past the end of the archive.`);
  return dataOffset;
}

function checkNoOverlap(entries: ZipEntry[]): void {
  const byOffset = [...entries].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
  for (let i = 1; i < byOffset.length; i++) {
    const previous = byOffset[i - 1];
    if (previous.dataOffset + previous.compressedSize > byOffset[i].localHeaderOffset) {
      throw invalidArchive(`The entries ${quotedEntry(previous.name)} and ${quotedEntry(byOffset[i].name)} share bytes (an overlapping-entry zip bomb).`);
    }
  }
}

function decodeName(nameBytes: Uint8Array, flags: number): string {
  if (!(flags & 0x800)) return latin1(nameBytes);
  try {
    return utf8.decode(nameBytes);
  } catch {
    throw invalidArchive(`An entry name is marked UTF-8 but is not valid UTF-8: ${quotedEntry(latin1(nameBytes))}.`);
  }
}

/** Names without the UTF-8 flag: one character per byte, as fflate and unzip read them. */
function latin1(nameBytes: Uint8Array): string {
  return Array.from(nameBytes, (byte) => String.fromCharCode(byte)).join("");
}

function readUint64(view: DataView, at: number): number {
  const value = view.getUint32(at, true) + view.getUint32(at + 4, true) * 2 ** 32;
  if (!Number.isSafeInteger(value)) throw invalidArchive("The archive declares an impossible size or offset.");
  return value;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
