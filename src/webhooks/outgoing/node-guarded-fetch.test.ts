// The connect-time check against a real local server: a name that resolves to loopback when
// the socket connects is refused, unless the host is allow-listed.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { guardedNodeFetch } from "./node-guarded-fetch.ts";

describe("guarded Node fetch for webhook deliveries", () => {
  let port: number;
  const server = createServer((request, response) => {
    if (request.url === "/late") return void setTimeout(() => response.writeHead(200).end("late"), 3000);
    if (request.url === "/moved") {
      response.writeHead(302, { location: "http://169.254.169.254/" }).end();
      return;
    }
    let body = "";
    request.on("data", (chunk: Buffer) => (body += chunk.toString()));
    request.on("end", () => response.writeHead(201, { "content-type": "text/plain", "x-seen": request.headers["x-test"] ?? "" }).end(`got ${request.method} ${body}`));
  });
  // "rebind.example.test" resolves to loopback, as a rebinding name would at connect time.
  const send = guardedNodeFetch((hostname, _options, callback) => callback(null, hostname === "rebind.example.test" ? [{ address: "127.0.0.1", family: 4 }] : []));
  const request = () => ({ method: "POST", headers: { "x-test": "yes" }, body: "payload", signal: AbortSignal.timeout(5000) });

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it("refuses a name that resolves to a private address when it connects", async () => {
    await expect(send(`http://rebind.example.test:${port}/hook`, request(), { allowPrivate: false })).rejects.toThrow(/private address/);
  });

  it("connects to an allow-listed host, sends the request and reads the answer", async () => {
    const response = await send(`http://rebind.example.test:${port}/hook`, request(), { allowPrivate: true });
    expect(response.status).toBe(201);
    expect(response.headers.get("x-seen")).toBe("yes");
    expect(await response.text()).toBe("got POST payload");
  });

  it("hands back redirects without following them", async () => {
    const response = await send(`http://127.0.0.1:${port}/moved`, request(), { allowPrivate: true });
    expect(response.status).toBe(302);
    expect(response.headers.get("location")).toBe("http://169.254.169.254/");
  });

  it("gives up on a receiver that does not answer when the signal aborts, after earlier deliveries to the same host", async () => {
    // Deno's node:http cannot abort a request on a pooled keep-alive socket (vitest.deno.config.ts runs this file there).
    for (let i = 0; i < 3; i++) expect(await (await send(`http://127.0.0.1:${port}/warm`, request(), { allowPrivate: true })).text()).toBe("got POST payload");
    const started = Date.now();
    await expect(send(`http://127.0.0.1:${port}/late`, { ...request(), signal: AbortSignal.timeout(200) }, { allowPrivate: true })).rejects.toThrow(/abort|timeout/i);
    expect(Date.now() - started).toBeLessThan(2000);
  });
});
