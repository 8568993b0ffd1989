// The anchor for Satchel's per-request overhead: a bare Hono app that answers GET /p2/... with
// fixed bytes after a token Map lookup, gzip when the client accepts it, nothing else. Runs on
// Node (@hono/node-server), Bun (Bun.serve) or Deno (Deno.serve, its fastest server, although
// Satchel serves through Deno's node:http: src/deno.ts), one process. Reads PORT, BARE_TOKEN
// and BARE_BODY (a file of the identity bytes; BARE_BODY.gz is the gzip copy).
import { readFileSync } from "node:fs";
import { Hono } from "hono";

const port = Number(process.env.PORT || 8081);
const raw = readFileSync(process.env.BARE_BODY!);
const gzipped = readFileSync(`${process.env.BARE_BODY!}.gz`);
const tokens = new Map([[`Bearer ${process.env.BARE_TOKEN!}`, { user: "admin" }]]);
const headers = { "Content-Type": "application/json", "Last-Modified": new Date().toUTCString(), Vary: "Accept-Encoding" };

const app = new Hono();
app.get("/healthz", (c) => c.text("ok"));
app.get("/p2/:vendor/:file", (c) => {
  if (!tokens.get(c.req.header("authorization") ?? "")) return c.text("unauthorized", 401);
  if (!c.req.header("accept-encoding")?.includes("gzip")) return c.body(raw, 200, headers);
  return c.body(gzipped, 200, { ...headers, "Content-Encoding": "gzip" });
});

declare const Bun: { serve(options: { port: number; hostname: string; fetch: typeof app.fetch }): unknown } | undefined;
declare const Deno: { serve(options: { port: number; hostname: string; onListen(): void; handler: typeof app.fetch }): unknown } | undefined;
if (typeof Bun !== "undefined") {
  Bun.serve({ port, hostname: "127.0.0.1", fetch: app.fetch });
} else if (typeof Deno !== "undefined") {
  Deno.serve({ port, hostname: "127.0.0.1", onListen: () => undefined, handler: app.fetch });
} else {
  const { serve } = await import("@hono/node-server");
  serve({ port, hostname: "127.0.0.1", fetch: app.fetch });
}
console.log(`bare Hono app on http://127.0.0.1:${port}`);
