// Request counts and latency histograms per endpoint class and status class, kept in typed
// arrays: recording a request is a few integer writes, with no allocation and no await, so the
// Composer hot path pays next to nothing (bench/metrics-overhead.ts measures it). Per process on
// Node, per isolate on Workers.
import type { Context } from "hono";
import type { AppEnv } from "../http/context.ts";

export const ENDPOINT_CLASSES = ["packages_json", "p2", "zipball", "composer_other", "api", "worker", "pages", "health", "metrics"] as const;
export type EndpointClass = (typeof ENDPOINT_CLASSES)[number];
const STATUS_CLASSES = ["2xx", "3xx", "4xx", "5xx"] as const;
/** Upper bounds in seconds (Prometheus `le`), +Inf implied. */
export const LATENCY_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

const CLASS_COUNT = ENDPOINT_CLASSES.length;
const STATUS_COUNT = STATUS_CLASSES.length;
const BUCKET_COUNT = LATENCY_BUCKETS.length + 1;

/** The endpoint class of a path, by its first characters only (no regex, no allocation). */
export function classify(path: string): number {
  if (path.startsWith("/p2/")) return 1;
  if (path.startsWith("/zipball/")) return 2;
  if (path === "/packages.json") return 0;
  if (path.startsWith("/api/")) return path.startsWith("/api/worker/") ? 5 : 4;
  if (path === "/healthz") return 7;
  if (path === "/metrics") return 8;
  if (path.startsWith("/downloads") || path === "/packages/list.json" || path === "/search.json") return 3;
  return 6;
}

export class RequestMetrics {
  readonly counts = new Float64Array(CLASS_COUNT * STATUS_COUNT);
  readonly seconds = new Float64Array(CLASS_COUNT);
  readonly buckets = new Float64Array(CLASS_COUNT * BUCKET_COUNT);
  inFlight = 0;

  record(endpoint: number, status: number, elapsedMs: number): void {
    const statusClass = status < 300 ? 0 : status < 400 ? 1 : status < 500 ? 2 : 3;
    this.counts[endpoint * STATUS_COUNT + statusClass]!++;
    const seconds = elapsedMs / 1000;
    this.seconds[endpoint]! += seconds;
    let bucket = 0;
    while (bucket < LATENCY_BUCKETS.length && seconds > LATENCY_BUCKETS[bucket]!) bucket++;
    this.buckets[endpoint * BUCKET_COUNT + bucket]!++;
  }

  /** Prometheus text for these counters. */
  exposition(): string {
    const lines = [
      "# HELP satchel_http_requests_total Requests answered, by endpoint class and status class.",
      "# TYPE satchel_http_requests_total counter",
    ];
    ENDPOINT_CLASSES.forEach((name, endpoint) =>
      STATUS_CLASSES.forEach((status, statusClass) => lines.push(`satchel_http_requests_total{endpoint="${name}",status="${status}"} ${this.counts[endpoint * STATUS_COUNT + statusClass]}`)),
    );
    lines.push("# HELP satchel_http_request_duration_seconds Time to the response, by endpoint class.", "# TYPE satchel_http_request_duration_seconds histogram");
    ENDPOINT_CLASSES.forEach((name, endpoint) => {
      let cumulative = 0;
      for (let bucket = 0; bucket < BUCKET_COUNT; bucket++) {
        cumulative += this.buckets[endpoint * BUCKET_COUNT + bucket]!;
        const le = bucket < LATENCY_BUCKETS.length ? String(LATENCY_BUCKETS[bucket]) : "+Inf";
        lines.push(`satchel_http_request_duration_seconds_bucket{endpoint="${name}",le="${le}"} ${cumulative}`);
      }
      lines.push(`satchel_http_request_duration_seconds_sum{endpoint="${name}"} ${this.seconds[endpoint]}`);
      lines.push(`satchel_http_request_duration_seconds_count{endpoint="${name}"} ${cumulative}`);
    });
    lines.push("# HELP satchel_http_requests_in_flight Requests being answered now.", "# TYPE satchel_http_requests_in_flight gauge", `satchel_http_requests_in_flight ${this.inFlight}`);
    return lines.join("\n");
  }
}

let requestSerial = 0;
const bootId = Math.floor(Math.random() * 36 ** 6).toString(36).padStart(6, "0");
const SANE_ID = /^[\w.:-]{1,64}$/;

/**
 * Called by the app's first middleware around every request (not a middleware of its own: a
 * Hono layer costs more than the counting). Returns the start time for `endRequest`.
 */
export function beginRequest(metrics: RequestMetrics): number {
  metrics.inFlight++;
  return performance.now();
}

/**
 * Counts the answered request (an exception reached app.onError first, so `c.res` is its
 * answer). The request id goes out only where someone needs it: echoed when the client sent a
 * sane one, and on 5xx answers, whose log line carries the same id.
 */
export function endRequest(metrics: RequestMetrics, c: Context<AppEnv>, started: number): void {
  metrics.inFlight--;
  const status = c.res.status;
  metrics.record(classify(c.req.path), status, performance.now() - started);
  if (status < 500 && !c.req.raw.headers.has("x-request-id")) return;
  try {
    c.res.headers.set("x-request-id", requestIdOf(c));
  } catch {
    // Immutable headers (a fetch() response passed through): the security headers copy it later.
  }
}

/** This request's id: the client's `X-Request-Id` when it is sane, else one made here (once). */
export function requestIdOf(c: Context<AppEnv>): string {
  let id = c.get("requestId");
  if (id === undefined) {
    const incoming = c.req.raw.headers.get("x-request-id");
    id = incoming !== null && SANE_ID.test(incoming) ? incoming : `${bootId}-${(++requestSerial).toString(36)}`;
    c.set("requestId", id);
  }
  return id;
}
