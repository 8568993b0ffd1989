// JSON calls to a provider's REST API for one integration: bounded, authenticated, with the
// provider's rate limits turned into "resume at" and 5xx into "try later", and list pages
// cached by ETag (a 304 costs GitHub no rate limit). One client for all four providers, over
// fetch: octokit and @gitbeaker each have their own paging, retry and cache layers, and the
// sync needs the same ETag store and stop-and-resume rule on every provider (and a small
// Worker bundle).
import type { Database } from "../ports.ts";
import { cachedAnswer, saveAnswer } from "./integration-store.ts";

/** The provider limited our rate: nothing more until `resumeAt` (unix ms). */
export class RateLimited extends Error {
  readonly resumeAt: number;

  constructor(resumeAt: number) {
    super(`the provider's rate limit is reached; resuming at ${new Date(resumeAt).toISOString()}`);
    this.resumeAt = resumeAt;
  }
}

/** The provider failed (5xx, network, timeout): the work is retried later. */
export class ProviderUnavailable extends Error {}

/** The provider refused (401, 403, 404 ...): retrying will not help until an admin acts. */
export class ProviderRefused extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

export interface ProviderAnswer {
  status: number;
  headers: Headers;
  body: unknown;
}

export interface ProviderHttpOptions {
  fetch: typeof fetch;
  apiUrl: string;
  /** The authorization headers, asked for at each call (an App token may be refreshed). */
  auth: () => Promise<Record<string, string>>;
  now: () => number;
  /** Where list answers are cached by ETag (absent: no cache). */
  etags?: { db: Database; integrationId: number };
}

const DEFAULT_WAIT_MS = 60_000;
const PAGING_HEADERS = ["link", "x-next-page"];

export class ProviderHttp {
  readonly #options: ProviderHttpOptions;

  constructor(options: ProviderHttpOptions) {
    this.#options = options;
  }

  url(path: string): string {
    return /^https?:\/\//.test(path) ? path : `${this.#options.apiUrl.replace(/\/+$/, "")}${path}`;
  }

  /** A JSON call; throws RateLimited, ProviderUnavailable or ProviderRefused for what is not 2xx. */
  async call(method: string, path: string, body?: unknown, extraHeaders: Record<string, string> = {}): Promise<ProviderAnswer> {
    const response = await this.send(method, this.url(path), body, extraHeaders);
    if (!response.ok) throw await this.failure(method, path, response);
    return { status: response.status, headers: response.headers, body: await jsonOf(response) };
  }

  /** Whether a path exists (200) or not (404); other answers throw as `call` does. */
  async exists(path: string): Promise<boolean> {
    const response = await this.send("GET", this.url(path), undefined, {});
    if (response.status === 404) {
      await response.body?.cancel();
      return false;
    }
    if (!response.ok) throw await this.failure("GET", path, response);
    await response.body?.cancel();
    return true;
  }

  /** A list page, with its next page's URL as `nextOf` reads it; unchanged pages come from the ETag cache. */
  async page(path: string, nextOf: (headers: Headers, body: unknown, url: string) => string | null): Promise<{ body: unknown; next: string | null }> {
    const url = this.url(path);
    const { etags } = this.#options;
    const cached = etags ? await cachedAnswer(etags.db, etags.integrationId, url) : undefined;
    const response = await this.send("GET", url, undefined, cached ? { "if-none-match": cached.etag } : {});
    if (response.status === 304 && cached) {
      await response.body?.cancel();
      const body = JSON.parse(cached.body) as unknown;
      // The page is the same, but a repository added further on can add a next page: a 304
      // that carries paging headers (GitHub sends Link) says so.
      const paged = PAGING_HEADERS.some((name) => response.headers.has(name));
      return { body, next: paged ? nextOf(response.headers, body, url) : cached.next };
    }
    if (!response.ok) throw await this.failure("GET", path, response);
    const body = await jsonOf(response);
    const next = nextOf(response.headers, body, url);
    const etag = response.headers.get("etag");
    if (etags && etag) await saveAnswer(etags.db, etags.integrationId, url, { etag, body: JSON.stringify(body), next });
    return { body, next };
  }

  private async send(method: string, url: string, body: unknown, extraHeaders: Record<string, string>): Promise<Response> {
    try {
      return await this.#options.fetch(url, {
        method,
        headers: {
          accept: "application/json",
          "user-agent": "Satchel",
          ...(await this.#options.auth()),
          ...extraHeaders,
          ...(body === undefined ? {} : { "content-type": "application/json" }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(15_000),
      });
    } catch (error) {
      throw new ProviderUnavailable(`${method} ${new URL(url).pathname}: ${error instanceof Error ? error.message : String(error)}`);
    }
  }

  private async failure(method: string, path: string, response: Response): Promise<Error> {
    const text = (await response.text()).slice(0, 300);
    const resumeAt = rateLimitResume(response, this.#options.now());
    if (resumeAt !== null) return new RateLimited(resumeAt);
    const where = `${method} ${path.replace(/^https?:\/\/[^/]+/, "").split("?")[0]}`;
    if (response.status >= 500) return new ProviderUnavailable(`${where}: ${response.status}`);
    return new ProviderRefused(response.status, `${where}: ${response.status} ${messageOf(text)}`);
  }
}

/** When a 403/429 is a rate limit (GitHub x-ratelimit-*, GitLab ratelimit-*, Retry-After): when to resume. */
export function rateLimitResume(response: Response, now: number): number | null {
  if (response.status !== 403 && response.status !== 429) return null;
  const headers = response.headers;
  const retryAfter = headers.get("retry-after");
  if (retryAfter !== null && /^\d+$/.test(retryAfter.trim())) return now + Number(retryAfter) * 1000;
  const remaining = headers.get("x-ratelimit-remaining") ?? headers.get("ratelimit-remaining");
  const reset = headers.get("x-ratelimit-reset") ?? headers.get("ratelimit-reset");
  if (remaining === "0" && reset !== null && /^\d+$/.test(reset.trim())) return Math.max(now + 1000, Number(reset) * 1000);
  if (remaining === "0" || response.status === 429) return now + DEFAULT_WAIT_MS;
  return null;
}

/** The `rel="next"` target of a Link header (GitHub, Gitea). */
export function linkNext(headers: Headers): string | null {
  const link = headers.get("link");
  if (!link) return null;
  for (const part of link.split(",")) {
    const match = /<([^>]+)>\s*;\s*rel="?next"?/.exec(part.trim());
    if (match) return match[1]!;
  }
  return null;
}

async function jsonOf(response: Response): Promise<unknown> {
  const text = await response.text();
  if (!text) return null;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new ProviderUnavailable(`the provider answered ${response.status} with a body that is not JSON`);
  }
}

function messageOf(text: string): string {
  try {
    const parsed = JSON.parse(text) as { message?: unknown; error?: unknown };
    return String(parsed.message ?? parsed.error ?? text).slice(0, 200);
  } catch {
    return text.slice(0, 200);
  }
}
