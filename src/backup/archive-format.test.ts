import { describe, expect, it } from "vitest";
import { ArchiveError, ArchiveWriter, readArchive, type ReadFrame } from "./archive-format.ts";

const KEY = "archive-test-key-0123456789";
const LIMITS = { maxLineBytes: 1024 * 1024, maxBlobBytes: 1024 * 1024 };

function archive(key = KEY): Uint8Array {
  const writer = new ArchiveWriter(key);
  const parts = [
    writer.magic(),
    writer.header({ schema: "0006_trust", createdAt: "2026-12-06T00:00:00.000Z", keys: { jwt: "hs-a", encryption: "ek-b" } }),
    writer.rows("users", ["id", "username"], [[1, "admin"], [2, "customer"]]),
    ...writer.blob("dist/acme/lib/abc.zip", new Uint8Array([0, 10, 255, 10, 1])),
    ...writer.blob("p2/acme/lib/empty.json", new Uint8Array(0)),
    writer.end(),
  ];
  const bytes = new Uint8Array(parts.reduce((sum, part) => sum + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    bytes.set(part, offset);
    offset += part.length;
  }
  return bytes;
}

/** The bytes as a stream of small, uneven chunks, as a network delivers them. */
function streamOf(bytes: Uint8Array, chunk = 7): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(offset, offset + chunk));
      offset += chunk;
    },
  });
}

async function readAll(bytes: Uint8Array, key = KEY): Promise<ReadFrame[]> {
  const frames: ReadFrame[] = [];
  for await (const frame of readArchive(streamOf(bytes), key, LIMITS)) frames.push(frame);
  return frames;
}

describe("backup archive format", () => {
  it("reads back every frame and blob byte for byte", async () => {
    const frames = await readAll(archive());
    expect(frames.map((frame) => frame.type)).toEqual(["header", "rows", "blob", "blob"]);
    const blob = frames[2]!;
    expect(blob.type === "blob" && [...blob.bytes]).toEqual([0, 10, 255, 10, 1]);
    expect(frames[1]!.type === "rows" && frames[1]!.rows).toEqual([[1, "admin"], [2, "customer"]]);
  });

  it("refuses the archive cut at every byte before its end", async () => {
    const whole = archive();
    for (let length = 0; length < whole.length; length++) {
      await expect(readAll(whole.slice(0, length)), `cut at ${length}`).rejects.toBeInstanceOf(ArchiveError);
    }
  });

  it("refuses the archive with any single byte changed", async () => {
    const whole = archive();
    for (let i = 0; i < whole.length; i++) {
      const tampered = whole.slice();
      tampered[i] = tampered[i]! ^ 0x01;
      await expect(readAll(tampered), `byte ${i}`).rejects.toBeInstanceOf(ArchiveError);
    }
  });

  it("refuses bytes after the final checksum", async () => {
    const whole = archive();
    const longer = new Uint8Array(whole.length + 1);
    longer.set(whole);
    await expect(readAll(longer)).rejects.toThrow(/after its final checksum/);
  });

  it("refuses an archive made under another key", async () => {
    await expect(readAll(archive("another-key-0123456789"))).rejects.toThrow(/another ENCRYPTION_KEY/);
  });

  it("refuses what is not an archive, and frames over the limits", async () => {
    await expect(readAll(new TextEncoder().encode("PK\u0003\u0004 a zip file"))).rejects.toThrow(/not a Satchel backup/);
    const frames = readArchive(streamOf(archive()), KEY, { maxLineBytes: 1024, maxBlobBytes: 2 });
    await expect((async () => { for await (const _ of frames); })()).rejects.toThrow(/larger than this instance accepts/);
  });
});
