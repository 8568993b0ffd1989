// What the GitHub and GitLab drivers share: waiting out rate limits within a bounded budget,
// bounded parallelism for per-commit calls, file decoding with the 1 MB cap, and error
// messages that name the repository but never a credential.
import { RepositoryError, type FileAtCommit } from "./driver.ts";

export type Provider = "GitHub" | "GitLab";

/** The cap every driver applies to a file read at a commit. */
export const MAX_FILE_BYTES = 1024 * 1024;

export interface ApiPolicyOptions {
  /** The longest a single rate-limit wait may be before the scan gives up (default 10 minutes). */
  maxRateLimitWaitMs?: number;
  /** Parallel requests for per-commit calls (default 8). */
  concurrency?: number;
  /** Injectable for tests; defaults to a timer that honours the abort signal. */
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  /** How long one HTTP attempt may take, rate-limit waits excluded (default 5 minutes). */
  requestTimeoutMs?: number;
}

/** The parts of a failed HTTP response that decide whether to wait and retry. */
export interface FailedResponse {
  status: number;
  /** Lower-cased header names. */
  headers: Record<string, string>;
  message: string;
}

const MAX_ATTEMPTS = 6;
const TRANSIENT_RETRIES = 2;
// GitHub: a secondary limit without retry-after means "wait at least a minute", growing after.
const SECONDARY_FALLBACK_MS = 60_000;
const RESET_MARGIN_MS = 1_000;

export function defaultSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/**
 * How long to wait before retrying a failed response: `retry-after` first, then the primary
 * window's reset when nothing remains, then a fallback for secondary limits. Null when the
 * failure is not a rate limit (a 403 without these signs is a permission problem).
 */
export function rateLimitDelayMs(provider: Provider, failure: FailedResponse, attempt: number, now: number): number | null {
  if (failure.status !== 403 && failure.status !== 429) return null;
  const retryAfter = failure.headers["retry-after"];
  if (retryAfter !== undefined && retryAfter.trim() !== "") {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
    const at = Date.parse(retryAfter);
    if (!Number.isNaN(at)) return Math.max(0, at - now);
  }
  const prefix = provider === "GitHub" ? "x-ratelimit" : "ratelimit";
  const reset = Number(failure.headers[`${prefix}-reset`]);
  if (failure.headers[`${prefix}-remaining`] === "0" && Number.isFinite(reset) && reset > 0) {
    return Math.max(0, reset * 1000 - now) + RESET_MARGIN_MS;
  }
  if (failure.status === 429 || /rate limit/i.test(failure.message)) return SECONDARY_FALLBACK_MS * 2 ** attempt;
  return null;
}

/** Runs requests for one driver: waits out rate limits and retries brief 5xx outages. */
export class ApiPolicy {
  readonly provider: Provider;
  readonly concurrency: number;
  readonly requestTimeoutMs: number;
  private readonly maxWaitMs: number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;
  private blockedUntil = 0;

  constructor(provider: Provider, options: ApiPolicyOptions) {
    this.provider = provider;
    this.concurrency = Math.max(1, options.concurrency ?? 8);
    this.maxWaitMs = options.maxRateLimitWaitMs ?? 10 * 60_000;
    this.requestTimeoutMs = options.requestTimeoutMs ?? 5 * 60_000;
    this.sleep = options.sleep ?? defaultSleep;
  }

  async run<T>(request: () => Promise<T>, failureOf: (error: unknown) => FailedResponse | null, signal?: AbortSignal): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      await this.waitForWindow(signal);
      try {
        return await request();
      } catch (error) {
        const failure = failureOf(error);
        if (!failure) throw error;
        if (failure.status >= 502 && failure.status <= 504 && attempt < TRANSIENT_RETRIES) {
          await this.sleep(1000 * 2 ** attempt, signal);
          continue;
        }
        const delay = rateLimitDelayMs(this.provider, failure, attempt, Date.now());
        if (delay === null) throw error;
        if (attempt + 1 >= MAX_ATTEMPTS) {
          throw new RepositoryError("timeout", `The ${this.provider} API rate limit was still exceeded after ${MAX_ATTEMPTS} attempts; try again later.`);
        }
        this.checkWait(delay);
        await this.sleep(delay, signal);
      }
    }
  }

  /** The signal for one attempt: the caller's, plus this attempt's own timeout. */
  attemptSignal(signal?: AbortSignal): AbortSignal {
    const timeout = AbortSignal.timeout(this.requestTimeoutMs);
    return signal ? AbortSignal.any([signal, timeout]) : timeout;
  }

  /** Notes a successful response's headers: when the window is used up, later requests wait for its reset. */
  observe(headers: Record<string, string>): void {
    const prefix = this.provider === "GitHub" ? "x-ratelimit" : "ratelimit";
    const reset = Number(headers[`${prefix}-reset`]);
    if (headers[`${prefix}-remaining`] === "0" && Number.isFinite(reset) && reset > 0) {
      this.blockedUntil = Math.max(this.blockedUntil, reset * 1000 + RESET_MARGIN_MS);
    }
  }

  private async waitForWindow(signal?: AbortSignal): Promise<void> {
    const wait = this.blockedUntil - Date.now();
    if (wait <= 0) return;
    this.checkWait(wait);
    await this.sleep(wait, signal);
  }

  private checkWait(ms: number): void {
    if (ms <= this.maxWaitMs) return;
    const seconds = Math.ceil(ms / 1000);
    throw new RepositoryError(
      "timeout",
      `The ${this.provider} API rate limit is exhausted for the next ${seconds}s, longer than the ${Math.ceil(this.maxWaitMs / 1000)}s this scan may wait; try again later or use a token with a higher limit.`,
    );
  }
}

/** Maps with at most `limit` calls in flight; stops starting new ones after a failure. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  let failed = false;
  const worker = async () => {
    while (!failed && next < items.length) {
      const index = next++;
      try {
        results[index] = await fn(items[index]);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}

const utf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** A file's bytes as the driver contract wants them: text under 1 MB, else unreadable. */
export function fileFromBytes(bytes: Uint8Array): FileAtCommit {
  if (bytes.length > MAX_FILE_BYTES) return { kind: "unreadable", reason: `larger than ${MAX_FILE_BYTES} bytes` };
  if (bytes.includes(0)) return { kind: "unreadable", reason: "binary content" };
  try {
    return { kind: "file", content: utf8.decode(bytes) };
  } catch {
    return { kind: "unreadable", reason: "not UTF-8 text" };
  }
}

/** Removes secrets and URL credentials from text that may reach users or logs. */
export function scrub(text: string, secrets: readonly (string | undefined)[]): string {
  let result = text.replace(/\/\/[^/@\s]+@/g, "//");
  for (const secret of secrets) {
    if (secret && secret.length >= 4) result = result.split(secret).join("[redacted]");
  }
  return result;
}

/** The RepositoryError for an HTTP failure the caller did not handle itself. */
export function errorForStatus(provider: Provider, repository: string, failure: FailedResponse, secrets: readonly (string | undefined)[]): RepositoryError {
  const { status } = failure;
  // GitLab's messages already start with the status ("404 Project Not Found").
  const detail = scrub(failure.message, secrets).replace(new RegExp(`^${status}\\s*`), "").slice(0, 300);
  if (status === 401) {
    return new RepositoryError("auth", `${provider} rejected the credentials for ${repository} (401 ${detail}); check the token.`);
  }
  if (status === 403) {
    return new RepositoryError("auth", `${provider} refused access to ${repository} (403 ${detail}); check the token's permissions.`);
  }
  if (status === 404) {
    return new RepositoryError(
      "not-found",
      `${provider} has no repository ${repository}, or the credentials cannot see it (${provider} answers 404 for private repositories without access).`,
    );
  }
  if (status === 429) return new RepositoryError("timeout", `The ${provider} API rate limit is exhausted for ${repository}; try again later.`);
  if (status >= 500) return new RepositoryError("unreachable", `The ${provider} API failed for ${repository} (${status} ${detail}).`);
  return new RepositoryError("invalid", `The ${provider} API refused a request for ${repository} (${status} ${detail}).`);
}

export function unreachable(provider: Provider, apiBaseUrl: string, cause: unknown, secrets: readonly (string | undefined)[]): RepositoryError {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new RepositoryError("unreachable", scrub(`Cannot reach the ${provider} API at ${apiBaseUrl}: ${detail}`, secrets));
}

export function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === "AbortError";
}

/** A per-attempt timeout, reported directly (fetch) or as the cause of a wrapper (octokit). */
export function isTimeout(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  return error.name === "TimeoutError" || (error.cause instanceof Error && error.cause.name === "TimeoutError");
}

export function timedOut(provider: Provider, apiBaseUrl: string, timeoutMs: number): RepositoryError {
  const limit = timeoutMs < 1000 ? `${timeoutMs}ms` : `${Math.ceil(timeoutMs / 1000)}s`;
  return new RepositoryError("timeout", `The ${provider} API at ${apiBaseUrl} did not answer within ${limit}.`);
}

/**
 * Per-commit reads through an API, each made once per driver (results kept in `cache`), at most
 * `concurrency` at a time: the batching both API drivers give readFile() and commitDates().
 */
export class CommitCache<V> {
  readonly #values = new Map<string, V>();
  readonly #concurrency: number;

  constructor(concurrency: number) {
    this.#concurrency = concurrency;
  }

  async load(commits: readonly string[], key: (commit: string) => string, read: (commit: string) => Promise<V>): Promise<Map<string, V>> {
    const unique = [...new Set(commits)];
    await mapLimit(unique, this.#concurrency, async (commit) => {
      if (!this.#values.has(key(commit))) this.#values.set(key(commit), await read(commit));
    });
    const found = new Map<string, V>();
    for (const commit of unique) {
      const value = this.#values.get(key(commit));
      if (value !== undefined) found.set(commit, value);
    }
    return found;
  }

  clear(): void {
    this.#values.clear();
  }
}
