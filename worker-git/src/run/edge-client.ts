// The worker's side of /api/worker/*: everything goes over HTTPS with the worker token. The edge
// owns all state; the worker only holds a job under a lease.

import type { JobContext } from "../../../src/jobs/job-context.ts";

export type { JobContext };

export interface ClaimedJob {
  id: string;
  kind: string;
  payload: Record<string, unknown>;
}

export class EdgeError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export class EdgeClient {
  readonly #base: string;
  readonly #token: string;
  readonly workerId: string;

  constructor(baseUrl: string, token: string, workerId: string) {
    this.#base = baseUrl.replace(/\/+$/, "");
    this.#token = token;
    this.workerId = workerId;
  }

  async claim(waitMs: number, leaseMs: number, signal?: AbortSignal): Promise<ClaimedJob | null> {
    const response = await this.#send("POST", "/api/worker/jobs/claim", { workerId: this.workerId, waitMs, leaseMs }, signal);
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
   */
  async publish(
    jobId: string,
    name: string,
    versions: unknown[],
    skipped: unknown[],
    readme?: string | null,
    monorepo: { repository?: string; more?: boolean } = {},
  ): Promise<Record<string, unknown>> {
    const response = await this.#send("POST", `/api/worker/jobs/${jobId}/publish`, { workerId: this.workerId, name, versions, skipped, readme, ...monorepo });
    return (await response.json()) as Record<string, unknown>;
  }

  async fail(jobId: string, error: string, details: Record<string, unknown> = {}): Promise<void> {
    await this.#send("POST", `/api/worker/jobs/${jobId}/finish`, { workerId: this.workerId, status: "failed", result: { error, ...details } });
  }

  async #send(method: string, path: string, body?: unknown, signal?: AbortSignal): Promise<Response> {
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
      throw new EdgeError(response.status, `${method} ${path.split("?")[0]}: ${response.status} ${message}`);
    }
    return response;
  }
}
