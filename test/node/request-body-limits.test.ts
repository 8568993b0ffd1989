// On a real Node server (src/node.ts), a client streaming a huge body past the limit reads the
// 413: the server answers while the body still arrives and closes only after the response.
import { mkdtemp } from "node:fs/promises";
import { request } from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeServer, type RunningServer } from "../../src/node.ts";

interface Answer {
  status: number;
  body: string;
  sentBytes: number;
}

/** Sends up to `totalBytes` (chunked unless `declaredLength`), stopping once the response came. */
function streamHugeBody(url: string, totalBytes: number, headers: Record<string, string>, declaredLength?: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const chunk = Buffer.alloc(64 * 1024, 0x61);
    let sentBytes = 0;
    let answered = false;
    const req = request(url, { method: "POST", headers: { ...headers, ...(declaredLength ? { "content-length": String(declaredLength) } : {}) } });
    req.on("response", (response) => {
      answered = true;
      let body = "";
      response.setEncoding("utf8");
      response.on("data", (text: string) => (body += text));
      response.on("end", () => resolve({ status: response.statusCode ?? 0, body, sentBytes }));
      response.on("error", reject);
    });
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const write = () => {
      while (!answered && sentBytes < totalBytes) {
        sentBytes += chunk.length;
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

describe("node: request bodies past the limit on a real server", () => {
  let server: RunningServer;
  beforeAll(async () => {
    const dataDir = await mkdtemp(path.join(tmpdir(), "satchel-bodies-"));
    server = await startNodeServer({ SATCHEL_DATA_DIR: dataDir, PORT: "0", ADMIN_USER: "boss", ADMIN_PASSWORD: "boss-password" });
  });
  afterAll(() => server.close());

  it("answers a 700 MB chunked POST /api/auth/token with a 413 the client reads, long before the end", async () => {
    const answer = await streamHugeBody(`${server.url}/api/auth/token`, 700 * 1024 * 1024, { "content-type": "application/json" });
    expect(answer.status).toBe(413);
    expect(JSON.parse(answer.body)).toMatchObject({ error: { code: "payload_too_large" } });
    expect(answer.sentBytes).toBeLessThan(200 * 1024 * 1024);
  });

  it("answers a POST /login declaring 300 MB with a 413 without reading it", async () => {
    const answer = await streamHugeBody(`${server.url}/login`, 300 * 1024 * 1024, { "content-type": "application/x-www-form-urlencoded" }, 300 * 1024 * 1024);
    expect(answer.status).toBe(413);
    expect(answer.sentBytes).toBeLessThan(200 * 1024 * 1024);
  });

  it("keeps serving afterwards", async () => {
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
