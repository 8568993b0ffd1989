import type { BlobStore, StoredBlob } from "../ports.ts";

export function r2BlobStore(bucket: R2Bucket): BlobStore {
  return {
    async get(key) {
      const object = await bucket.get(key);
      if (!object) return null;
      return fromR2(object);
    },
    async put(key, data) {
      await bucket.put(key, data);
    },
    async has(key) {
      return (await bucket.head(key)) !== null;
    },
    async delete(keys) {
      // R2 deletes at most 1,000 keys per call.
      for (let i = 0; i < keys.length; i += 1000) await bucket.delete(keys.slice(i, i + 1000));
    },
    async *list(prefix) {
      let cursor: string | undefined;
      do {
        const page = await bucket.list({ prefix, cursor, limit: 1000 });
        for (const object of page.objects) yield { key: object.key, size: object.size };
        cursor = page.truncated ? page.cursor : undefined;
      } while (cursor);
    },
  };
}

function fromR2(object: R2ObjectBody): StoredBlob {
  return {
    size: object.size,
    body: object.body,
    bytes: async () => new Uint8Array(await object.arrayBuffer()),
    text: () => object.text(),
  };
}
