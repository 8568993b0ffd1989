// What request metrics add to a request, measured in-process (no network) on the cheapest
// handler there is (a cached body), behind the app's first middleware with and without
// beginRequest/endRequest, as src/app.ts calls them. Run: node bench/metrics-overhead.ts
import { Hono } from "hono";
import type { AppEnv } from "../src/http/context.ts";
import { beginRequest, endRequest, RequestMetrics } from "../src/metrics/request-metrics.ts";

const body = new TextEncoder().encode(JSON.stringify({ packages: { "acme/lib": [{ version: "1.0.0" }] } }));
const ROUNDS = 7;
const REQUESTS = 50_000;

function appWith(metered: boolean) {
  const app = new Hono<AppEnv>();
  const metrics = new RequestMetrics();
  app.use("*", async (c, next) => {
    if (!metered) {
      await next();
      return;
    }
    const started = beginRequest(metrics);
    try {
      await next();
    } finally {
      endRequest(metrics, c, started);
    }
  });
  app.get("/p2/:vendor/:file", (c) => c.body(body as Uint8Array<ArrayBuffer>, 200, { "content-type": "application/json" }));
  return app;
}

async function nsPerRequest(app: Hono<AppEnv>): Promise<number> {
  const request = new Request("http://bench.test/p2/acme/lib.json");
  const started = process.hrtime.bigint();
  for (let i = 0; i < REQUESTS; i++) await app.fetch(request);
  return Number(process.hrtime.bigint() - started) / REQUESTS;
}

const plain = appWith(false);
const metered = appWith(true);
const results: { plain: number; metered: number }[] = [];
for (let round = 0; round < ROUNDS; round++) results.push({ plain: await nsPerRequest(plain), metered: await nsPerRequest(metered) });
const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
const p = median(results.map((r) => r.plain));
const m = median(results.map((r) => r.metered));
console.log(JSON.stringify({ requestsPerRound: REQUESTS, rounds: ROUNDS, plainNsPerRequest: Math.round(p), meteredNsPerRequest: Math.round(m), addedNsPerRequest: Math.round(m - p), addedPercent: Math.round(((m - p) / p) * 1000) / 10 }));
