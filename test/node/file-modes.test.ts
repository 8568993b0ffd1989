// Local data is private whatever the umask: the data folder 0700, the libSQL database (and its
// WAL) 0600, blob folders 0700 and blob files 0600.
import { mkdtemp, readdir, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startNodeServer } from "../../src/node.ts";

const mode = async (file: string) => (await stat(file)).mode & 0o777;

describe("node: file modes of local data", () => {
  let previousUmask = 0;
  beforeEach(() => {
    previousUmask = process.umask(0o022);
  });
  afterEach(() => {
    process.umask(previousUmask);
  });

  it("creates the data folder, database and blobs readable by their owner only", async () => {
    const dataDir = path.join(await mkdtemp(path.join(tmpdir(), "satchel-modes-")), "data");
    const server = await startNodeServer({ SATCHEL_DATA_DIR: dataDir, PORT: "0", ADMIN_USER: "admin", ADMIN_PASSWORD: "admin-password", SATCHEL_DEFAULT_UPSTREAM: "none" });
    try {
      await server.app.services.blobs.put("dist/acme/lib/0123.zip", new Uint8Array([1, 2, 3]));
      expect(await mode(dataDir)).toBe(0o700);
      for (const file of (await readdir(dataDir)).filter((name) => name.startsWith("satchel.db"))) expect({ file, mode: await mode(path.join(dataDir, file)) }).toEqual({ file, mode: 0o600 });
      expect(await mode(path.join(dataDir, "satchel.db"))).toBe(0o600);
      expect(await mode(path.join(dataDir, "blobs"))).toBe(0o700);
      expect(await mode(path.join(dataDir, "blobs", "dist", "acme", "lib"))).toBe(0o700);
      expect(await mode(path.join(dataDir, "blobs", "dist", "acme", "lib", "0123.zip"))).toBe(0o600);
    } finally {
      await server.close();
    }
  });
});
