// A scriptable HTTP receiver on 127.0.0.1 for webhook tests, driven over HTTP so that tests
// inside workerd can use it too: it records every request, and answers each path with the
// responses queued for it (status, body, delay, redirect), then 200.
//   POST /_control/script {"path", "responses": [{"status", "body"?, "delayMs"?, "headers"?}]}
//   GET  /_control/requests?path=/x   POST /_control/reset
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface RecordedRequest {
  method: string;
  path: string;
  headers: Record<string, string>;
  body: string;
  at: number;
}

interface Scripted {
  status: number;
  body?: unknown;
  delayMs?: number;
  headers?: Record<string, string>;
}

export interface HookReceiver {
  url: string;
  close(): Promise<void>;
}

export async function startHookReceiver(): Promise<HookReceiver> {
  let requests: RecordedRequest[] = [];
  let scripts = new Map<string, Scripted[]>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => void handle(request, Buffer.concat(chunks).toString("utf8"), response));
  });
  const handle = async (request: IncomingMessage, body: string, response: ServerResponse) => {
    const url = new URL(request.url ?? "/", "http://receiver");
    if (url.pathname === "/_control/script") {
      const { path, responses } = JSON.parse(body) as { path: string; responses: Scripted[] };
      scripts.set(path, [...(scripts.get(path) ?? []), ...responses]);
      return send(response, { status: 204 });
    }
    if (url.pathname === "/_control/requests") {
      const path = url.searchParams.get("path");
      return send(response, { status: 200, body: requests.filter((entry) => !path || entry.path === path) });
    }
    if (url.pathname === "/_control/reset") {
      requests = [];
      scripts = new Map();
      return send(response, { status: 204 });
    }
    const headers = Object.fromEntries(Object.entries(request.headers).map(([name, value]) => [name, Array.isArray(value) ? value.join(", ") : (value ?? "")]));
    requests.push({ method: request.method ?? "GET", path: url.pathname, headers, body, at: Date.now() });
    const next = scripts.get(url.pathname)?.shift() ?? { status: 200, body: "ok" };
    if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
    if (!response.destroyed) send(response, next);
  };
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(response: ServerResponse, scripted: Scripted): void {
  const text = scripted.body === undefined ? "" : typeof scripted.body === "string" ? scripted.body : JSON.stringify(scripted.body);
  const type = typeof scripted.body === "string" ? "text/plain" : "application/json";
  response.writeHead(scripted.status, { "content-type": type, ...scripted.headers });
  response.end(scripted.status === 204 ? undefined : text);
}
