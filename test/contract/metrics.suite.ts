// GET /metrics (Prometheus text) and GET /healthz?deep=1 on both runtimes: who may scrape, that
// every line parses, and that the counters move with the traffic, the queue and the worker.
import { beforeAll, describe, expect, it } from "vitest";
import { Client } from "./client.ts";
import { bearer, TEST_CONFIG, unique, type Harness, type HarnessFactory } from "./harness.ts";

const METRICS_TOKEN = "metrics-scraper-token-0123456789";

interface Sample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

/** A strict reader of the text format: HELP/TYPE comments and `name{label="value",...} number` lines only. */
export function parsePrometheus(text: string): { samples: Sample[]; types: Map<string, string> } {
  const samples: Sample[] = [];
  const types = new Map<string, string>();
  expect(text.endsWith("\n")).toBe(true);
  for (const line of text.slice(0, -1).split("\n")) {
    const type = /^# TYPE ([a-zA-Z_:][a-zA-Z0-9_:]*) (counter|gauge|histogram|summary|untyped)$/.exec(line);
    if (type) {
      expect(types.has(type[1]!), `TYPE twice: ${line}`).toBe(false);
      types.set(type[1]!, type[2]!);
      continue;
    }
    if (/^# HELP [a-zA-Z_:][a-zA-Z0-9_:]* .+$/.test(line)) continue;
    const sample = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{((?:[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\.)*",?)*)\})? (-?[0-9.e+]+|\+Inf|NaN)$/.exec(line);
    expect(sample, `unparsable line: ${JSON.stringify(line)}`).not.toBeNull();
    const labels: Record<string, string> = {};
    for (const [, key, value] of (sample![2] ?? "").matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g)) labels[key!] = value!;
    const family = sample![1]!.replace(/_(bucket|sum|count)$/, "");
    expect(types.has(sample![1]!) || types.has(family), `no TYPE for ${sample![1]}`).toBe(true);
    samples.push({ name: sample![1]!, labels, value: Number(sample![3]) });
  }
  return { samples, types };
}

const value = (samples: Sample[], name: string, labels: Record<string, string> = {}) =>
  samples.find((sample) => sample.name === name && Object.entries(labels).every(([key, expected]) => sample.labels[key] === expected))?.value;

export function metricsSuite(runtime: string, factory: HarnessFactory) {
  describe(`${runtime}: metrics and health`, () => {
    let harness: Harness;
    let client: Client;
    let admin: string;
    const scrape = async (token = admin) => {
      const response = await client.request("/metrics", { headers: bearer(token) });
      expect(response.status).toBe(200);
      expect(response.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
      return parsePrometheus(await response.text());
    };

    beforeAll(async () => {
      harness = await factory({ metricsToken: METRICS_TOKEN });
      client = new Client(harness.app);
      admin = await client.adminToken();
    });

    it("is for an admin's token or the metrics token: 401 for anyone else", async () => {
      expect((await client.request("/metrics")).status).toBe(401);
      const customer = await client.customer(admin);
      expect((await client.request("/metrics", { headers: bearer(customer.token) })).status).toBe(401);
      expect((await client.request("/metrics", { headers: bearer(`${METRICS_TOKEN}x`) })).status).toBe(401);
      expect((await client.request("/metrics", { headers: bearer(TEST_CONFIG.workerToken) })).status).toBe(401);
      await scrape(METRICS_TOKEN);
      await scrape(admin);
    });

    it("counts requests per endpoint class and status, with consistent latency histograms", async () => {
      const name = `acme/${unique("metered")}`;
      await client.uploadOk(admin, name, "1.0.0");
      const before = (await scrape()).samples;
      const p2Before = value(before, "satchel_http_requests_total", { endpoint: "p2", status: "2xx" }) ?? 0;
      const missingBefore = value(before, "satchel_http_requests_total", { endpoint: "p2", status: "4xx" }) ?? 0;
      for (let i = 0; i < 5; i++) await client.request(`/p2/${name}.json`, { headers: bearer(admin) });
      await client.request(`/p2/acme/${unique("absent")}.json`, { headers: bearer(admin) });
      const { samples, types } = await scrape();
      expect(value(samples, "satchel_http_requests_total", { endpoint: "p2", status: "2xx" })).toBe(p2Before + 5);
      expect(value(samples, "satchel_http_requests_total", { endpoint: "p2", status: "4xx" })).toBe(missingBefore + 1);
      expect(types.get("satchel_http_request_duration_seconds")).toBe("histogram");
      const buckets = samples.filter((sample) => sample.name === "satchel_http_request_duration_seconds_bucket" && sample.labels.endpoint === "p2");
      for (let i = 1; i < buckets.length; i++) expect(buckets[i]!.value).toBeGreaterThanOrEqual(buckets[i - 1]!.value);
      expect(buckets.at(-1)!.labels.le).toBe("+Inf");
      expect(buckets.at(-1)!.value).toBe(value(samples, "satchel_http_request_duration_seconds_count", { endpoint: "p2" }));
      expect(value(samples, "satchel_token_cache_lookups_total", { result: "hit" })).toBeGreaterThan(0);
      // Five identical requests: the first is computed, the next four are remembered answers.
      expect(value(samples, "satchel_remembered_answer_lookups_total", { result: "hit" }) ?? 0).toBeGreaterThanOrEqual((value(before, "satchel_remembered_answer_lookups_total", { result: "hit" }) ?? 0) + 4);
    });

    it("reports the job queue and the git worker's last poll, here and in /healthz?deep=1", async () => {
      await client.api(admin, "POST", "/api/create-package", { repository: `https://git.example.test/acme/${unique("queued")}.git` }, [202]);
      const { samples } = await scrape();
      expect(value(samples, "satchel_jobs", { status: "queued" })).toBeGreaterThanOrEqual(1);
      expect(value(samples, "satchel_job_queue_oldest_age_seconds")).toBeGreaterThanOrEqual(0);
      const claim = await client.request("/api/worker/jobs/claim", { method: "POST", headers: bearer(TEST_CONFIG.workerToken), body: JSON.stringify({ workerId: "metrics-test" }) });
      expect([200, 204]).toContain(claim.status);
      await claim.arrayBuffer();
      harness.clock.now += 5_000;
      const deep = await client.request("/healthz?deep=1");
      expect(deep.status).toBe(200);
      const health = (await deep.json()) as { status: string; database: { ok: boolean }; blobs: { ok: boolean }; queue: { queued: number }; worker: { lastSeenSecondsAgo: number } };
      expect(health).toMatchObject({ status: "ok", database: { ok: true }, blobs: { ok: true } });
      expect(health.worker.lastSeenSecondsAgo).toBeGreaterThanOrEqual(0);
      expect(health.worker.lastSeenSecondsAgo).toBeLessThan(60);
      expect(value((await scrape()).samples, "satchel_worker_last_seen_seconds")).toBeGreaterThanOrEqual(5);
      // The shallow check stays as it was.
      expect(await (await client.request("/healthz")).json()).toEqual({ status: "ok" });
    });

    it("echoes a sane request id, and makes one for a request that sent a bad one", async () => {
      expect((await client.request("/healthz", { headers: { "x-request-id": "lb-1234.abc" } })).headers.get("x-request-id")).toBe("lb-1234.abc");
      expect((await client.request("/healthz", { headers: { "x-request-id": "<script>" } })).headers.get("x-request-id")).toMatch(/^[a-z0-9]+-[a-z0-9]+$/);
    });
  });
}
