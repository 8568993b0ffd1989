// Request bodies are bounded while they stream: a body over its route's limit gets a 413 after
// at most the limit (plus a chunk) was read, whether it declares its length or is chunked.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { PageClient } from "../support/page-client.ts";
import { bearer, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

const CHUNK = 64 * 1024;

/** A body of `total` bytes with no declared length, counting what the server pulls. */
function chunkedBody(total: number, fill = 0x61): { stream: ReadableStream<Uint8Array>; pulled: () => number } {
  let sent = 0;
  const chunk = new Uint8Array(CHUNK).fill(fill);
  const stream = new ReadableStream<Uint8Array>({
    pull(controller) {
      if (sent >= total) return controller.close();
      sent += CHUNK;
      controller.enqueue(chunk);
    },
  });
  return { stream, pulled: () => sent };
}

export function bodyLimitsSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: request body limits`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    beforeAll(async () => {
      harness = await factory();
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    const send = (path: string, body: BodyInit, headers: Record<string, string> = {}) =>
      client.request(path, { method: "POST", body, headers: { origin: "https://repo.example.test", ...headers }, duplex: "half" } as RequestInit);

    it("refuses a chunked sign-in body past 16 KB with 413, having read no more than that", async () => {
      const body = chunkedBody(32 * 1024 * 1024);
      const response = await send("/api/auth/token", body.stream, { "content-type": "application/json" });
      expect(response.status).toBe(413);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("payload_too_large");
      expect(body.pulled()).toBeLessThanOrEqual(16 * 1024 + 2 * CHUNK);
    });

    it("refuses a declared Content-Length past the limit before reading the body", async () => {
      const response = await send("/api/auth/token", new Uint8Array(17 * 1024).fill(0x20), { "content-type": "application/json" });
      expect(response.status).toBe(413);
      // Under the limit the same route still reads the body.
      expect((await send("/api/auth/token", JSON.stringify({ username: "admin", password: "wrong" }), { "content-type": "application/json" })).status).toBe(401);
    });

    it("refuses sign-in and setup forms past 16 KB with 413", async () => {
      for (const path of ["/login", "/login/otp", "/setup"]) {
        const body = chunkedBody(8 * 1024 * 1024, 0x62);
        const response = await send(path, body.stream, { "content-type": "application/x-www-form-urlencoded" });
        expect(response.status, path).toBe(413);
        expect(body.pulled(), path).toBeLessThanOrEqual(16 * 1024 + 2 * CHUNK);
      }
    });

    it("refuses multipart on forms that take none", async () => {
      const form = new FormData();
      form.set("username", "admin");
      expect((await send("/login", form)).status).toBe(415);
    });

    it("answers a broken multipart body with 400, not 500", async () => {
      const response = await client.request("/api/packages/upload/acme/broken/1.0.0", {
        method: "PUT",
        headers: { ...bearer(admin), "content-type": "multipart/form-data; boundary=nothing-like-it" },
        body: "--other\r\nContent-Disposition: form-data; name=\"package\"\r\n\r\nPK",
      });
      expect(response.status).toBe(400);
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe("invalid_multipart");
    });

    it("bounds JSON API bodies at 256 KB, and Composer's notifications and audit requests too", async () => {
      for (const path of ["/api/users", "/downloads/", "/api/security-advisories"]) {
        const body = chunkedBody(16 * 1024 * 1024, 0x20);
        const response = await send(path, body.stream, { ...bearer(admin), "content-type": "application/json" });
        expect(response.status, path).toBe(413);
        expect(body.pulled(), path).toBeLessThanOrEqual(256 * 1024 + 2 * CHUNK);
      }
    });

    it("bounds signed-in page forms at 256 KB, and still takes a normal one", async () => {
      const pages = new PageClient(harness.app);
      expect((await pages.login("admin", TEST_CONFIG.adminPassword as string)).status).toBe(303);
      await pages.get("/admin/groups");
      expect((await pages.post("/admin/groups", { name: "big", grants: "acme/lib\n".repeat(30 * 1024) })).status).toBe(413);
      const saved = await pages.post("/admin/groups", { name: unique("small"), grants: "acme/lib" });
      expect(saved.status).toBe(303);
      expect(saved.location).toBe("/admin/groups");
    });
  });
}
