// The Node entry wires every port: a real HTTP server over a libSQL file and a folder, with
// secrets generated on first start and kept in the data folder.
import { mkdtemp, readFile, stat } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { startNodeServer } from "../../src/node.ts";

describe("node: src/node.ts entry", () => {
  it("starts on a libSQL file and a folder, generates secrets once, and bootstraps the admin", async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "satchel-entry-"));
    const env = { SATCHEL_DATA_DIR: dataDir, PORT: "0", ADMIN_USER: "boss", ADMIN_PASSWORD: "boss-password" };
    const server = await startNodeServer(env);
    try {
      expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
      const secretsFile = path.join(dataDir, "secrets.json");
      expect((await stat(secretsFile)).mode & 0o777).toBe(0o600);
      const response = await fetch(`${server.url}/api/auth/token`, { method: "POST", body: JSON.stringify({ username: "boss", password: "boss-password" }) });
      expect(response.status).toBe(201);
      const login = await fetch(`${server.url}/`, { redirect: "manual" });
      expect(login.headers.get("location")).toBe("/login");
      const secrets = await readFile(secretsFile, "utf8");
      await server.close();
      const again = await startNodeServer(env);
      await again.close();
      expect(await readFile(secretsFile, "utf8")).toBe(secrets);
    } finally {
      await server.close().catch(() => undefined);
    }
  });
});
