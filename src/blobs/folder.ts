// The self-host blob store: one file per key under a folder. Keys come from blobs/keys.ts,
// and resolveInside() refuses anything that would land outside the folder all the same.
// Blobs are private (uploaded archives, mirrored packages): folders 0700, files 0600.
import { createReadStream } from "node:fs";
import { mkdir, readdir, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import type { BlobStore } from "../ports.ts";

export function folderBlobStore(root: string): BlobStore {
  const base = path.resolve(root);
  const resolveInside = (key: string) => {
    const target = path.resolve(base, key);
    if (!target.startsWith(base + path.sep)) throw new Error(`blob key escapes the store: ${key}`);
    return target;
  };
  return {
    async get(key) {
      const file = resolveInside(key);
      let size: number;
      try {
        const info = await stat(file);
        if (!info.isFile()) return null;
        size = info.size;
      } catch {
        return null;
      }
      return {
        size,
        get body() {
          return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
        },
        bytes: async () => new Uint8Array(await readFile(file)),
        text: () => readFile(file, "utf8"),
      };
    },
    async put(key, data) {
      const file = resolveInside(key);
      await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
      // Write then rename, so a reader never sees half a file.
      const temp = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
      await writeFile(temp, data, { mode: 0o600 });
      await rename(temp, file);
    },
    async has(key) {
      try {
        return (await stat(resolveInside(key))).isFile();
      } catch {
        return false;
      }
    },
    async delete(keys) {
      await Promise.all(keys.map((key) => rm(resolveInside(key), { force: true })));
    },
    async *list(prefix) {
      let entries;
      try {
        entries = await readdir(base, { recursive: true, withFileTypes: true });
      } catch {
        return; // No folder yet: no blobs.
      }
      for (const entry of entries) {
        // Half-written files (put's temp names) are not blobs yet.
        if (!entry.isFile() || entry.name.endsWith(".tmp")) continue;
        const file = path.join(entry.parentPath, entry.name);
        const key = path.relative(base, file).split(path.sep).join("/");
        if (!key.startsWith(prefix)) continue;
        const size = await stat(file).then((info) => info.size, () => -1);
        if (size >= 0) yield { key, size }; // -1: deleted since the listing.
      }
    },
  };
}
