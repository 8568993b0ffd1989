// The worker's side of /api/worker/*: everything goes over HTTPS with the worker token. The edge
// owns all state; the worker only holds a job under a lease.

import type { JobContext } from "../../../src/jobs/wire.ts";

export type { JobContext };

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
}

export class EdgeError extends Error {
  readonly status: number;
  /** Set on a 503 with Retry-After: the call may be repeated after this long. */
  readonly retryAfterMs?: number;
  constructor(status: number, message: string, retryAfterMs?: number) {
    super(message);
    this.status = status;
    this.retryAfterMs = retryAfterMs;
  }
}

/** Tries of one call to the edge when it answers 503 with Retry-After. */
const EDGE_ATTEMPTS = 4;

export class EdgeClient {
  readonly #base: string;
  readonly #token: string;
  readonly workerId: string;

  constructor(baseUrl: string, token: string, workerId: string) {
    this.#base = baseUrl.replace(/\/+$/, "");
    this.#token = token;
    this.workerId = workerId;
  }

  /** Whether the edge answers its health check: false while it is still starting or down. */
  async healthy(): Promise<boolean> {
    return fetch(`${this.#base}/healthz`, { signal: AbortSignal.timeout(5_000) }).then((response) => response.ok, () => false);
  }

  /** `kinds`: only jobs of these kinds (the slot kept for on-demand zipball builds). */
  async claim(waitMs: number, leaseMs: number, signal?: AbortSignal, kinds?: string[]): Promise<ClaimedJob | null> {
    const response = await this.#send("POST", "/api/worker/jobs/claim", { workerId: this.workerId, waitMs, leaseMs, kinds }, signal);
    return response.status === 204 ? null : ((await response.json()) as ClaimedJob);
  }

  async context(jobId: string): Promise<JobContext> {
    const response = await this.#send("GET", `/api/worker/jobs/${jobId}/context?workerId=${encodeURIComponent(this.workerId)}`);
    return (await response.json()) as JobContext;
  }

  async heartbeat(jobId: string, leaseMs: number): Promise<void> {
    await this.#send("POST", `/api/worker/jobs/${jobId}/heartbeat`, { workerId: this.workerId, leaseMs });
  }

  async uploadDist(packageName: string, reference: string, archive: Uint8Array): Promise<string> {
    const response = await this.#send("PUT", `/api/worker/dist/${packageName}/${reference}`, archive);
    return ((await response.json()) as { shasum: string }).shasum;
  }

  /**
   * `readme`: the default branch's README, null when it has none, undefined to keep the stored one.
   * A mono-repository names each package's own `repository`, and sets `more` on all but the last.
   * `deferred`: dist references not uploaded, built on their first request.
   */
  async publish(
    jobId: string,
    name: string,
    versions: unknown[],
    skipped: unknown[],
    readme?: string | null,
    options: { repository?: string; more?: boolean; deferred?: string[] } = {},
  ): Promise<Record<string, unknown>> {
    const response = await this.#send("POST", `/api/worker/jobs/${jobId}/publish`, { workerId: this.workerId, name, versions, skipped, readme, ...options });
    return (await response.json()) as Record<string, unknown>;
  }

  /** Ends a job that publishes nothing (an on-demand zipball build) with its result. */
  async finish(jobId: string, result: Record<string, unknown>): Promise<void> {
    await this.#send("POST", `/api/worker/jobs/${jobId}/finish`, { workerId: this.workerId, status: "done", result });
  }

  async fail(jobId: string, error: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.#send("POST", `/api/worker/jobs/${jobId}/finish`, { workerId: this.workerId, status: "failed", result: { error, ...details } });
  }

  /**
   * Every call to the edge is safe to repeat (a dist upload overwrites, a publish of the same set
   * changes nothing twice), so a 503 with Retry-After (the edge's storage failed mid-way and left
   * the old state) is retried after the wait it asks for, a few times, before the job fails.
   */
  async #send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#sendOnce(method, path, body, signal);
      } catch (error) {
        const waitMs = error instanceof EdgeError ? error.retryAfterMs : undefined;
        if (waitMs === undefined || attempt >= EDGE_ATTEMPTS || signal?.aborted) throw error;
        await new Promise((resolve) => setTimeout(resolve, waitMs));
      }
    }
  }

  async #sendOnce(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
    const isBytes = body instanceof Uint8Array;
    const response = await fetch(`${this.#base}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${this.#token}`,
        ...(body === undefined ? {} : { "content-type": isBytes ? "application/zip" : "application/json" }),
      },
      body: body === undefined ? undefined : isBytes ? body : JSON.stringify(body),
      signal: signal ? AbortSignal.any([signal, AbortSignal.timeout(120_000)]) : AbortSignal.timeout(120_000),
    });
    if (response.status >= 400) {
      const text = await response.text();
      let message = text.slice(0, 500);
      try {
        message = (JSON.parse(text) as { error: { message: string } }).error.message;
      } catch {
        // Not our JSON error: keep the raw excerpt.
      }
      const retryAfter = response.status === 503 ? Number(response.headers.get("retry-after")) : Number.NaN;
      const retryAfterMs = Number.isFinite(retryAfter) && retryAfter >= 0 ? Math.min(retryAfter, 30) * 1000 : undefined;
      throw new EdgeError(response.status, `${method} ${path.split("?")[0]}: ${response.status} ${message}`, retryAfterMs);
    }
    return response;
  }
}
