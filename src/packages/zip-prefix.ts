// Writes a new zip with every (already verified) entry moved under one folder. The compressed
// bytes are copied as they are: nothing is inflated or deflated again, so re-packing costs a
// copy, not seconds of CPU. Only the header fields readers need are written back.
import { invalidArchive } from "./archive-error.ts";
import type { ZipEntry } from "./zip-directory.ts";

const MAX32 = 0xffffffff;
const UTF8_FLAG = 0x800;
/** Set-user-ID, set-group-ID and sticky bits are dropped from unix modes. */
const SPECIAL_MODE_BITS = 0o7000 << 16;

export function moveUnderFolder(bytes: Uint8Array, entries: ZipEntry[], folder: string): Uint8Array {
  const prefix = new TextEncoder().encode(`${folder}/`);
  const sized = entries.map((entry) => ({ entry, nameLength: prefix.length + entry.nameBytes.length }));
  const localSize = sized.reduce((total, { entry, nameLength }) => total + 30 + nameLength + entry.compressedSize, 0);
  const centralSize = sized.reduce((total, { nameLength }) => total + 46 + nameLength, 0);
  if (localSize + centralSize > MAX32 || entries.length > 0xffff || entries.some((entry) => entry.size > MAX32)) throw invalidArchive("The archive is too large to re-pack.");
  const out = new Uint8Array(localSize + centralSize + 22);
  const view = new DataView(out.buffer);
  let at = 0;
  const offsets: number[] = [];
  for (const { entry, nameLength } of sized) {
    offsets.push(at);
    view.setUint32(at, 0x04034b50, true);
    writeCommonFields(view, at + 4, entry, nameLength);
    view.setUint16(at + 28, 0, true);
    out.set(prefix, at + 30);
    out.set(entry.nameBytes, at + 30 + prefix.length);
    out.set(bytes.subarray(entry.dataOffset, entry.dataOffset + entry.compressedSize), at + 30 + nameLength);
    at += 30 + nameLength + entry.compressedSize;
  }
  const directoryOffset = at;
  sized.forEach(({ entry, nameLength }, index) => {
    view.setUint32(at, 0x02014b50, true);
    view.setUint16(at + 4, entry.madeBy, true);
    writeCommonFields(view, at + 6, entry, nameLength);
    view.setUint16(at + 30, 0, true); // extra
    view.setUint16(at + 32, 0, true); // comment
    view.setUint16(at + 34, 0, true); // disk
    view.setUint16(at + 36, entry.internalAttributes, true);
    view.setUint32(at + 38, (entry.externalAttributes & ~SPECIAL_MODE_BITS) >>> 0, true);
    view.setUint32(at + 42, offsets[index], true);
    out.set(prefix, at + 46);
    out.set(entry.nameBytes, at + 46 + prefix.length);
    at += 46 + nameLength;
  });
  view.setUint32(at, 0x06054b50, true);
  view.setUint16(at + 8, entries.length, true);
  view.setUint16(at + 10, entries.length, true);
  view.setUint32(at + 12, at - directoryOffset, true);
  view.setUint32(at + 16, directoryOffset, true);
  return out;
}

/** The fields local and central headers share, from "version needed" to the name length. */
function writeCommonFields(view: DataView, at: number, entry: ZipEntry, nameLength: number): void {
  view.setUint16(at, 20, true);
  // Sizes are known now: no data descriptor; the name keeps its encoding flag.
  view.setUint16(at + 2, entry.flags & UTF8_FLAG, true);
  view.setUint16(at + 4, entry.method, true);
  view.setUint16(at + 6, entry.dosTime, true);
  view.setUint16(at + 8, entry.dosDate, true);
  view.setUint32(at + 10, entry.crc32, true);
  view.setUint32(at + 14, entry.compressedSize, true);
  view.setUint32(at + 18, entry.size, true);
  view.setUint16(at + 22, nameLength, true);
}
