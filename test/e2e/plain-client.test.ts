// Every runtime a user starts answers p2 and packages.json readably to a client that asks for no encoding (`curl`
// without --compressed) and gzipped to one that asks for it, as Composer's curl does. Under
// `npm start` the Worker sees a rewritten Accept-Encoding (src/http/accept-encoding.ts).
import { spawnSync } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { packageZip } from "../contract/harness.ts";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const NAME = "acme/plain-client";

function curl(url: string, token: string, extra: string[] = []): Buffer {
  const result = spawnSync("curl", ["-sS", "--fail", "-H", `Authorization: Bearer ${token}`, ...extra, url]);
  if (result.status !== 0) throw new Error(`curl ${url}: ${result.stderr.toString()}`);
  return result.stdout;
}

for (const runtime of ["node", "bun", "deno", "workerd"] as Runtime[]) {
  describe(`${runtime}: p2 and packages.json for clients with and without gzip`, () => {
    let satchel: SatchelProcess;
    let token: string;

    beforeAll(async () => {
      satchel = await startSatchel(runtime);
      token = await satchel.adminToken();
      const upload = await fetch(`${satchel.url}/api/packages/upload/${NAME}/1.0.0`, {
        method: "PUT",
        headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/zip" },
        body: packageZip({ name: NAME, description: "x".repeat(2000) }),
      });
      expect(upload.status).toBe(201);
    }, 180_000);

    afterAll(async () => {
      await satchel?.stop();
    });

    it("sends JSON to curl without --compressed and gzip to a client that accepts it", () => {
      const url = `${satchel.url}/p2/${NAME}.json`;
      const plain = curl(url, token);
      expect(JSON.parse(plain.toString("utf8")).packages[NAME]).toHaveLength(1);
      const wire = curl(url, token, ["-H", "Accept-Encoding: gzip"]);
      expect([wire[0], wire[1]]).toEqual([0x1f, 0x8b]);
      const decoded = curl(url, token, ["--compressed"]);
      expect(decoded.equals(plain)).toBe(true);
    });

    it("does the same for packages.json (gzipped once, not per request)", () => {
      const url = `${satchel.url}/packages.json`;
      const plain = curl(url, token);
      expect(JSON.parse(plain.toString("utf8"))["available-packages"]).toContain(NAME);
      const wire = curl(url, token, ["-H", "Accept-Encoding: gzip"]);
      expect([wire[0], wire[1]]).toEqual([0x1f, 0x8b]);
      expect(curl(url, token, ["--compressed"]).equals(plain)).toBe(true);
    });
  });
}
