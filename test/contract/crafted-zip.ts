// Zip archives that lie, built byte by byte: false sizes and checksums in the local header and
// the central directory, symlinks and devices by unix mode, local names that differ from the
// central ones, entries sharing bytes. And zerosDeflate(): a raw deflate stream of n zero bytes
// at deflate's best ratio (about 1032:1) built without inflating anything, so a 2 MB test
// archive can expand to 2 GB.
import { deflateSync, strToU8 } from "fflate";

export interface CraftedEntry {
  name: string;
  /** The real content (deflated unless `method` is 0), or `deflated` bytes used as they are. */
  content?: Uint8Array | string;
  deflated?: Uint8Array;
  method?: 0 | 8;
  /** A lie about the uncompressed size, in both headers. */
  declaredSize?: number;
  /** A lie about the CRC-32, in both headers. */
  declaredCrc?: number;
  /** st_mode written to the upper 16 bits of the external attributes, made on unix. */
  unixMode?: number;
  /** A local header name different from the central directory's. */
  localName?: string;
  /** Stored, with the next entry's local header and data inside its own data (entries sharing bytes). */
  swallowsNext?: boolean;
}

export function craftZip(entries: CraftedEntry[]): Uint8Array {
  const locals: Uint8Array[] = [];
  const centrals: Uint8Array[] = [];
  let offset = 0;
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i];
    if (entry.swallowsNext) {
      // The next entry is written inside this one's data; both central records point at their own header.
      const inner = craftEntry(entries[i + 1], 0);
      const outer = craftEntry({ ...entry, method: 0, content: concat([content(entry), inner.local, inner.data]) }, offset);
      centrals.push(outer.central, craftEntry(entries[i + 1], offset + outer.local.length + content(entry).length).central);
      locals.push(outer.local, outer.data);
      offset += outer.local.length + outer.data.length;
      i++;
      continue;
    }
    const crafted = craftEntry(entry, offset);
    centrals.push(crafted.central);
    locals.push(crafted.local, crafted.data);
    offset += crafted.local.length + crafted.data.length;
  }
  const directorySize = centrals.reduce((total, part) => total + part.length, 0);
  const end = header(22, new Uint8Array(0), (view) => {
    view.setUint32(0, 0x06054b50, true);
    view.setUint16(8, entries.length, true);
    view.setUint16(10, entries.length, true);
    view.setUint32(12, directorySize, true);
    view.setUint32(16, offset, true);
  });
  return concat([...locals, ...centrals, end]);
}

const content = (entry: CraftedEntry) => (typeof entry.content === "string" ? strToU8(entry.content) : (entry.content ?? new Uint8Array(0)));

function craftEntry(entry: CraftedEntry, offset: number) {
  const method = entry.deflated ? 8 : (entry.method ?? 8);
  const data = entry.deflated ?? (method === 8 ? deflateSync(content(entry)) : content(entry));
  const fields = { method, crc: entry.declaredCrc ?? crc32(content(entry)), compressedSize: data.length, size: entry.declaredSize ?? content(entry).length };
  const name = strToU8(entry.name);
  const localName = strToU8(entry.localName ?? entry.name);
  const local = header(30, localName, (view) => {
    view.setUint32(0, 0x04034b50, true);
    writeFields(view, 4, fields, localName.length);
  });
  const central = header(46, name, (view) => {
    view.setUint32(0, 0x02014b50, true);
    view.setUint16(4, entry.unixMode === undefined ? 20 : (3 << 8) | 20, true);
    writeFields(view, 6, fields, name.length);
    view.setUint32(38, entry.unixMode === undefined ? 0 : (entry.unixMode << 16) >>> 0, true);
    view.setUint32(42, offset, true);
  });
  return { local, data, central };
}

/**
 * Raw deflate of `n` zero bytes in one dynamic-Huffman block: the literal/length code gives
 * length 258 a 1-bit code and the distance code has one 1-bit code, so every 258 bytes cost two
 * zero bits (the body is zero bytes); the rest are 2-bit literal zeros.
 */
export function zerosDeflate(n: number): Uint8Array {
  const matches = n > 0 ? Math.floor((n - 1) / 258) : 0;
  const literals = n - matches * 258;
  const bits = new BitWriter(64 + Math.ceil((2 * matches + 2 * literals) / 8) + 8);
  bits.write(1, 1); // BFINAL
  bits.write(2, 2); // BTYPE = 10: dynamic Huffman
  bits.write(286 - 257, 5); // HLIT: literal/length codes 0..285
  bits.write(1 - 1, 5); // HDIST: one distance code
  bits.write(18 - 4, 4); // HCLEN: code-length codes in the order below, up to symbol 1
  const order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1];
  const codeLengthLengths: Record<number, number> = { 18: 1, 1: 2, 2: 2 };
  for (const symbol of order) bits.write(codeLengthLengths[symbol] ?? 0, 3);
  // Code-length code (canonical): 18 -> "0", 1 -> "10", 2 -> "11".
  const cl = { 18: [0b0, 1], 1: [0b10, 2], 2: [0b11, 2] } as const;
  const zeros = (count: number) => {
    bits.code(...cl[18]);
    bits.write(count - 11, 7);
  };
  bits.code(...cl[2]); // literal 0: length 2
  zeros(138);
  zeros(117); // literals 1..255: unused
  bits.code(...cl[2]); // 256 (end of block): length 2
  zeros(28); // 257..284: unused
  bits.code(...cl[1]); // 285 (length 258): length 1
  bits.code(...cl[1]); // distance code 0 (distance 1): length 1
  // Literal/length code: 285 -> "0", 0 -> "10", 256 -> "11"; distance 0 -> "0".
  for (let i = 0; i < literals; i++) bits.code(0b10, 2);
  bits.skip(2 * matches); // each match: "0" (258) + "0" (distance 1)
  bits.code(0b11, 2);
  return bits.bytes();
}

class BitWriter {
  private readonly out: Uint8Array;
  private position = 0;

  constructor(bytes: number) {
    this.out = new Uint8Array(bytes);
  }

  /** A value, least significant bit first (header fields, extra bits). */
  write(value: number, count: number): void {
    for (let i = 0; i < count; i++) this.bit((value >>> i) & 1);
  }

  /** A Huffman code, most significant bit first. */
  code(value: number, length: number): void {
    for (let i = length - 1; i >= 0; i--) this.bit((value >>> i) & 1);
  }

  skip(count: number): void {
    this.position += count;
  }

  bytes(): Uint8Array {
    return this.out.slice(0, Math.ceil(this.position / 8));
  }

  private bit(value: number): void {
    if (value) this.out[this.position >>> 3] |= 1 << (this.position & 7);
    this.position++;
  }
}

interface Fields {
  method: number;
  crc: number;
  compressedSize: number;
  size: number;
}

function writeFields(view: DataView, at: number, fields: Fields, nameLength: number): void {
  view.setUint16(at, 20, true);
  view.setUint16(at + 2, 0x800, true);
  view.setUint16(at + 4, fields.method, true);
  view.setUint16(at + 8, 0x21, true); // 1980-01-01
  view.setUint32(at + 10, fields.crc, true);
  view.setUint32(at + 14, fields.compressedSize, true);
  view.setUint32(at + 18, fields.size, true);
  view.setUint16(at + 22, nameLength, true);
}

function header(size: number, name: Uint8Array, fill: (view: DataView) => void): Uint8Array {
  const out = new Uint8Array(size + name.length);
  fill(new DataView(out.buffer));
  out.set(name, size);
  return out;
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((total, part) => total + part.length, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}

/** CRC-32 written apart from src/packages/crc32.ts, so a bug there cannot agree with itself here. */
const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = (c >>> 1) ^ (c & 1 ? 0xedb88320 : 0);
  return c >>> 0;
});

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) crc = CRC_TABLE[(crc ^ byte) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}
