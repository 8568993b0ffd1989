import { Hono } from "hono";
import { TrieRouter } from "hono/router/trie-router";
import { describe, expect, it } from "vitest";
import { MemoRouter } from "./memo-router.ts";

function app(router?: MemoRouter<never>) {
  const hono = new Hono(router ? { router } : {});
  hono.use("*", async (c, next) => {
    await next();
    c.header("x-seen", "1");
  });
  hono.get("/p2/:vendor/:file", (c) => c.text(`${c.req.param("vendor")}|${c.req.param("file")}`));
  hono.post("/api/worker/jobs/claim", (c) => c.text("claim"));
  hono.post("/api/worker/jobs/:id/publish", (c) => c.text(`publish ${c.req.param("id")}`));
  hono.get("/zipball/:vendor/:name/:file", (c) => c.text(c.req.param("name")));
  return hono;
}

describe("MemoRouter", () => {
  it("answers every request, repeated or not, as Hono's own router does, params included", async () => {
    const memo = app(new MemoRouter());
    const plain = app();
    const requests: [string, string][] = [
      ["GET", "/p2/acme/lib.json"],
      ["GET", "/p2/acme/lib~dev.json"],
      ["GET", "/p2/other/thing.json"],
      ["POST", "/api/worker/jobs/claim"],
      ["POST", "/api/worker/jobs/42/publish"],
      ["GET", "/zipball/acme/lib/abc.zip"],
      ["GET", "/nowhere"],
      ["PUT", "/p2/acme/lib.json"],
    ];
    for (const round of [1, 2]) {
      for (const [method, path] of requests) {
        const [a, b] = await Promise.all([memo.request(path, { method }), plain.request(path, { method })]);
        expect([a.status, await a.text(), a.headers.get("x-seen")], `${method} ${path} round ${round}`).toEqual([b.status, await b.text(), b.headers.get("x-seen")]);
      }
    }
  });

  it("keeps at most a bounded number of remembered paths", () => {
    const inner = new TrieRouter<string>();
    const router = new MemoRouter<string>(inner);
    router.add("GET", "/p2/:vendor/:file", "p2");
    let searches = 0;
    const search = inner.match.bind(inner);
    inner.match = (method, path) => {
      searches++;
      return search(method, path);
    };
    router.match("GET", "/p2/a/b.json");
    router.match("GET", "/p2/a/b.json");
    expect(searches).toBe(1);
    for (let i = 0; i < 10_000; i++) router.match("GET", `/p2/v/${i}.json`);
    // The first path was dropped when the memo filled up: searched again.
    router.match("GET", "/p2/a/b.json");
    expect(searches).toBe(10_002);
  });
});
