// The BlobStore contract every store keeps (folder, R2, S3): what put writes get reads back,
// whole or streamed, with its size; has, delete (missing keys included) and list by prefix.
import { beforeAll, describe, expect, it } from "vitest";
import type { BlobStore } from "../../src/ports.ts";
import { unique } from "./harness.ts";

export function blobStoreSuite(name: string, makeStore: () => Promise<BlobStore>) {
  describe(`${name}: blob store contract`, () => {
    let store: BlobStore;
    let base: string;
    beforeAll(async () => {
      store = await makeStore();
      base = `contract/${unique("b")}`;
    });

    async function streamed(body: ReadableStream<Uint8Array>): Promise<number[]> {
      const bytes: number[] = [];
      const reader = body.getReader();
      for (let read = await reader.read(); !read.done; read = await reader.read()) for (const byte of read.value) bytes.push(byte);
      return bytes;
    }

    it("reads back bytes and text as written, whole and streamed, with their size", async () => {
      const binary = new Uint8Array(70_000).map((_, i) => (i * 31) % 256);
      await store.put(`${base}/dist/acme/lib/abc.zip`, binary);
      await store.put(`${base}/p2/acme/lib.json`, '{"packages":{"acme/lib":[]}} é');
      const blob = await store.get(`${base}/dist/acme/lib/abc.zip`);
      expect(blob?.size).toBe(70_000);
      expect(await streamed(blob!.body)).toEqual([...binary]);
      expect([...(await (await store.get(`${base}/dist/acme/lib/abc.zip`))!.bytes())]).toEqual([...binary]);
      const text = await store.get(`${base}/p2/acme/lib.json`);
      expect(await text!.text()).toBe('{"packages":{"acme/lib":[]}} é');
      expect(text!.size).toBe(new TextEncoder().encode('{"packages":{"acme/lib":[]}} é').length);
    });

    it("answers null and false for a missing key, and overwrites in place", async () => {
      expect(await store.get(`${base}/missing.json`)).toBeNull();
      expect(await store.has(`${base}/missing.json`)).toBe(false);
      await store.put(`${base}/over.txt`, "first");
      await store.put(`${base}/over.txt`, "second");
      expect(await (await store.get(`${base}/over.txt`))!.text()).toBe("second");
      expect(await store.has(`${base}/over.txt`)).toBe(true);
    });

    it("lists keys under a prefix with their sizes, and deletes many at once (missing ones too)", async () => {
      const prefix = `${base}/list/`;
      await Promise.all([store.put(`${prefix}a.json`, "aa"), store.put(`${prefix}deep/b.json`, "bbb"), store.put(`${base}/listed-not.json`, "x")]);
      const listed: { key: string; size: number }[] = [];
      for await (const entry of store.list(prefix)) listed.push(entry);
      expect(listed.sort((a, b) => a.key.localeCompare(b.key))).toEqual([
        { key: `${prefix}a.json`, size: 2 },
        { key: `${prefix}deep/b.json`, size: 3 },
      ]);
      await store.delete([`${prefix}a.json`, `${prefix}deep/b.json`, `${prefix}never-there.json`]);
      expect(await store.has(`${prefix}a.json`)).toBe(false);
      const after: string[] = [];
      for await (const { key } of store.list(prefix)) after.push(key);
      expect(after).toEqual([]);
      expect(await store.has(`${base}/listed-not.json`)).toBe(true);
    });
  });
}
