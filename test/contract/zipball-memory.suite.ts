// Small archives are answered from memory after a download (src/cache/zipball-memo.ts): the same
// bytes and headers without another blob-store read, only after the ACL check, and never for an
// archive over the per-archive limit.
import { beforeAll, describe, expect, it } from "vitest";
import { distKey } from "../../src/blobs/keys.ts";
import { MAX_ENTRY_BYTES } from "../../src/cache/zipball-memo.ts";
import { Client } from "./client.ts";
import { basic, json, packageZip, unique, type Harness, type HarnessFactory } from "./harness.ts";

/** Random hex text: a zip compresses it to about 58%. */
function noise(size: number): string {
  let text = "";
  while (text.length < size) text += crypto.randomUUID();
  return text.slice(0, size);
}

export function zipballMemorySuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: small zipballs from memory`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });
    const zipballOf = async (name: string, token: string, username = "admin"): Promise<{ url: string; shasum: string }> => {
      const document = await json<{ packages: Record<string, { dist: { url: string; shasum: string } }[]> }>(await client.request(`/p2/${name}.json`, { headers: basic(username, token) }));
      return document.packages[name]![0]!.dist;
    };
    const download = (url: string, token: string, username = "admin") => client.request(new URL(url).pathname, { headers: basic(username, token) });
    const forgetStoredArchive = (name: string, reference: string) => harness.app.services.blobs.delete([distKey(name, reference)]);

    it("answers a small archive's next download from memory: same bytes and headers, no blob-store read, ACL first", async () => {
      const name = `acme/${unique("memzip")}`;
      const { reference } = await client.uploadOk(admin, name, "1.0.0");
      const dist = await zipballOf(name, admin);
      const first = await download(dist.url, admin);
      expect(first.status).toBe(200);
      const bytes = new Uint8Array(await first.arrayBuffer());
      expect(bytes.byteLength).toBe(Number(first.headers.get("content-length")));
      // The stored archive is gone: only memory can answer now.
      await forgetStoredArchive(name, reference);
      const again = await download(dist.url, admin);
      expect(again.status).toBe(200);
      expect(new Uint8Array(await again.arrayBuffer())).toEqual(bytes);
      // And again: answering from the kept bytes leaves them whole for the next download.
      expect(new Uint8Array(await (await download(dist.url, admin)).arrayBuffer())).toEqual(bytes);
      for (const header of ["content-type", "content-length", "content-disposition", "cache-control", "x-content-type-options"]) expect(again.headers.get(header), header).toBe(first.headers.get(header));
      // Someone without a grant for the package gets what they got before: nothing.
      const stranger = await client.customer(admin);
      expect((await download(dist.url, stranger.token, stranger.username)).status).toBe(404);
    });

    it("only streams an archive bigger than the per-archive limit: every download reads the store", async () => {
      const name = `acme/${unique("bigzip")}`;
      const uploaded = await client.upload(admin, name, "1.0.0", packageZip({ name }, { files: { "src/Noise.php": noise(MAX_ENTRY_BYTES * 2) } }));
      expect(uploaded.status).toBe(201);
      const { reference } = await json<{ reference: string }>(uploaded);
      const dist = await zipballOf(name, admin);
      const first = await download(dist.url, admin);
      expect(first.status).toBe(200);
      expect(Number(first.headers.get("content-length"))).toBeGreaterThan(MAX_ENTRY_BYTES);
      await first.arrayBuffer();
      await forgetStoredArchive(name, reference);
      expect((await download(dist.url, admin)).status).not.toBe(200);
    });
  });
}
