import { readFileSync } from "node:fs";
import { Hono } from "hono";
import { openSelfHost } from "../src/node.ts";
const token = readFileSync("/tmp/perf/token", "utf8").trim();
const self = await openSelfHost({ ...process.env, SATCHEL_DATA_DIR: "/tmp/perf/data", ADMIN_USER: "admin", ADMIN_PASSWORD: "admin-password", SATCHEL_DEFAULT_UPSTREAM: "none", PORT: "0" }, () => "127.0.0.1");
const raw = new Uint8Array(54000); const gz = new Uint8Array(6400);
const tokens = new Map([[`Bearer ${token}`, { user: "admin" }]]);
const headers = { "Content-Type": "application/json", "Last-Modified": new Date().toUTCString(), Vary: "Accept-Encoding" };
const bare = new Hono();
bare.get("/p2/:vendor/:file", (c) => {
  if (!tokens.get(c.req.header("authorization") ?? "")) return c.text("unauthorized", 401);
  if (!c.req.header("accept-encoding")?.includes("gzip")) return c.body(raw, 200, headers);
  return c.body(gz, 200, { ...headers, "Content-Encoding": "gzip" });
});
const url = "http://127.0.0.1:8080/p2/acme/hot-library.json";
const init = { headers: { authorization: `Bearer ${token}`, "accept-encoding": "gzip" } };
async function run(fetch: (r: Request, env?: unknown) => Response | Promise<Response>, n: number) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) { const r = await fetch(new Request(url, init), {}); if (r.status !== 200) throw new Error(String(r.status)); }
  return ((performance.now() - t0) * 1e6) / n;
}
for (let i = 0; i < 2; i++) { await run(self.app.fetch, 20000); await run(bare.fetch, 20000); }
const s: number[] = [], b: number[] = [];
for (let i = 0; i < 5; i++) { s.push(await run(self.app.fetch, 50000)); b.push(await run(bare.fetch, 50000)); }
const med = (a: number[]) => a.sort((x, y) => x - y)[2]!;
console.log(`satchel ${med(s).toFixed(0)} ns/req, bare ${med(b).toFixed(0)} ns/req, extra ${(med(s) - med(b)).toFixed(0)} ns`);
process.exit(0);
