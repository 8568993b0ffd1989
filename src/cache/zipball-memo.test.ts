import { describe, expect, it } from "vitest";
import { sha1Hex } from "../crypto/digest.ts";
import { ZipballMemo } from "./zipball-memo.ts";

function streamOf(bytes: Uint8Array, chunk = 7): ReadableStream<Uint8Array> {
  let at = 0;
  return new ReadableStream({
    pull(controller) {
      if (at >= bytes.length) return controller.close();
      controller.enqueue(bytes.slice(at, at + chunk));
      at += chunk;
    },
  });
}

/** Reads `stream` through as a client would, then waits for the background work it started. */
async function download(memo: ZipballMemo, key: string, shasum: string, bytes: Uint8Array, size = bytes.length): Promise<Uint8Array> {
  const work: Promise<void>[] = [];
  const read = new Uint8Array(await new Response(memo.keep(key, shasum, size, streamOf(bytes), (promise) => work.push(promise))).arrayBuffer());
  await Promise.all(work);
  return read;
}

const bytesOf = (text: string) => new TextEncoder().encode(text);

describe("ZipballMemo", () => {
  it("passes the archive through whole and serves it from memory afterwards, for its published shasum only", async () => {
    const memo = new ZipballMemo();
    const archive = bytesOf("PK zip bytes ".repeat(20));
    const shasum = await sha1Hex(archive);
    expect(await download(memo, "dist/a", shasum, archive)).toEqual(archive);
    expect(memo.get("dist/a", shasum)).toEqual(archive);
    // Another shasum published for the reference now (the archive was stored again): forgotten.
    expect(memo.get("dist/a", "0".repeat(40))).toBeUndefined();
    expect(memo.get("dist/a", shasum)).toBeUndefined();
  });

  it("keeps nothing whose bytes do not hash to the published shasum, nothing cut short, nothing without a shasum", async () => {
    const memo = new ZipballMemo();
    const archive = bytesOf("archive ".repeat(30));
    const shasum = await sha1Hex(archive);
    expect(await download(memo, "dist/wrong", "f".repeat(40), archive)).toEqual(archive);
    expect(memo.get("dist/wrong", "f".repeat(40))).toBeUndefined();
    // The store said more bytes than came: not a whole archive.
    expect(await download(memo, "dist/short", shasum, archive, archive.length + 10)).toEqual(archive);
    expect(memo.get("dist/short", shasum)).toBeUndefined();
    expect(await download(memo, "dist/unbuilt", "", archive)).toEqual(archive);
    expect(memo.get("dist/unbuilt", "")).toBeUndefined();
  });

  it("only streams an archive over the per-archive limit, and drops the least recently used over the total", async () => {
    const memo = new ZipballMemo(100, 250);
    const big = bytesOf("x".repeat(101));
    expect(await download(memo, "dist/big", await sha1Hex(big), big)).toEqual(big);
    expect(memo.get("dist/big", await sha1Hex(big))).toBeUndefined();
    const archives = ["a", "b", "c"].map((letter) => bytesOf(letter.repeat(100)));
    const shasums = await Promise.all(archives.map((archive) => sha1Hex(archive)));
    await download(memo, "dist/a", shasums[0]!, archives[0]!);
    await download(memo, "dist/b", shasums[1]!, archives[1]!);
    expect(memo.get("dist/a", shasums[0]!)).toBeDefined(); // a is now the most recently used
    await download(memo, "dist/c", shasums[2]!, archives[2]!);
    expect(memo.get("dist/b", shasums[1]!)).toBeUndefined();
    expect(memo.get("dist/a", shasums[0]!)).toEqual(archives[0]);
    expect(memo.get("dist/c", shasums[2]!)).toEqual(archives[2]);
  });
});
