// Serves a StaticUpstream over real HTTP on 127.0.0.1 (Node), for end-to-end tests where
// Satchel runs in another process. stop() closes the port: the upstream is then really down.
import { createServer, type Server } from "node:http";
import { freePort } from "./satchel-process.ts";
import { StaticUpstream } from "./static-upstream.ts";

export interface UpstreamServer {
  upstream: StaticUpstream;
  url: string;
  stop(): Promise<void>;
}

export async function startUpstreamServer(): Promise<UpstreamServer> {
  return serveOverHttp((url) => new StaticUpstream(url));
}

/** Serves any Fetch-API handler made for its base URL over HTTP on 127.0.0.1. */
export async function serveOverHttp<T extends { handle(request: Request): Response | Promise<Response> }>(make: (url: string) => T): Promise<{ upstream: T; url: string; stop(): Promise<void> }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const upstream = make(url);
  const server: Server = createServer(async (incoming, outgoing) => {
    try {
      const chunks: Buffer[] = [];
      for await (const chunk of incoming) chunks.push(chunk as Buffer);
      const headers = new Headers();
      for (const [name, value] of Object.entries(incoming.headers)) if (typeof value === "string") headers.set(name, value);
      const body = chunks.length && incoming.method !== "GET" ? Buffer.concat(chunks) : undefined;
      const response = await upstream.handle(new Request(`${url}${incoming.url}`, { method: incoming.method, headers, body }));
      outgoing.writeHead(response.status, Object.fromEntries(response.headers));
      outgoing.end(Buffer.from(await response.arrayBuffer()));
    } catch {
      // "down" in-process means a refused connection: drop the socket.
      incoming.socket.destroy();
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return {
    upstream,
    url,
    stop: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}
