// Every request to an upstream goes through here: bounded in time and size, redirects followed
// by hand so each hop passes the trust rule, credentials sent only to the upstream's own host,
// and a circuit breaker so that an unreachable upstream (no network, 5xx) is not asked again for
// a while: a Composer run never waits on it twice.
import type { ProxyConfig } from "../config.ts";
import { isTrustedTarget } from "./trust.ts";
import type { Upstream } from "./upstream-registry.ts";
import { readBoundedBytes } from "../http/bounded-body.ts";

export type UpstreamFailure = { ok: false; reason: "down" | "network" | "timeout" | "too_large" | "untrusted" | "status"; status?: number; message: string };
export type Opened = { ok: true; response: Response; url: URL } | UpstreamFailure;
export type Fetched = { ok: true; status: number; headers: Headers; body: Uint8Array } | UpstreamFailure;

export interface RequestOptions {
  timeoutMs: number;
  headers?: Record<string, string>;
  method?: "GET" | "POST";
  body?: string;
}

const MAX_REDIRECTS = 5;
const USER_AGENT = "Satchel-Proxy (+https://github.com/satchel; Composer repository mirror)";

export class UpstreamClient {
  readonly #fetch: typeof fetch;
  readonly #resolve?: (hostname: string) => Promise<string[]>;
  readonly #config: ProxyConfig;
  readonly #downUntil = new Map<number, { until: number; message: string }>();
  /** Called once per HTTP request sent (statistics). */
  onRequest: (upstreamId: number) => void = () => undefined;

  constructor(fetchImpl: typeof fetch, resolve: ((hostname: string) => Promise<string[]>) | undefined, config: ProxyConfig) {
    this.#fetch = fetchImpl;
    this.#resolve = resolve;
    this.#config = config;
  }

  /** Why this upstream is skipped right now, or null when it may be asked. */
  downReason(upstream: Upstream, now: number): string | null {
    const down = this.#downUntil.get(upstream.id);
    return down && down.until > now ? down.message : null;
  }

  reset(upstreamId?: number): void {
    if (upstreamId === undefined) this.#downUntil.clear();
    else this.#downUntil.delete(upstreamId);
  }

  /** A request whose body is read whole, up to `maxBytes`. */
  async fetchBuffered(upstream: Upstream, url: string, options: RequestOptions & { maxBytes: number }, now: number): Promise<Fetched> {
    const signal = AbortSignal.timeout(options.timeoutMs);
    const opened = await this.open(upstream, url, options, now, signal);
    if (!opened.ok) return opened;
    const { response } = opened;
    try {
      const body = await readLimited(response, options.maxBytes);
      if (!body) return this.#fail(upstream, opened.url, { ok: false, reason: "too_large", message: `${upstream.name} sent more than ${Math.round(options.maxBytes / 1024 / 1024)} MB for ${opened.url.pathname}` }, now);
      return { ok: true, status: response.status, headers: response.headers, body };
    } catch (error) {
      return this.#fail(upstream, opened.url, errorFailure(upstream, error), now);
    }
  }

  /** Follows redirects under the trust rule and returns the final response, body unread. */
  async open(upstream: Upstream, url: string, options: RequestOptions, now: number, signal = AbortSignal.timeout(options.timeoutMs)): Promise<Opened> {
    const base = new URL(upstream.url);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { ok: false, reason: "untrusted", message: `${upstream.name} gave an invalid URL.` };
    }
    const down = this.downReason(upstream, now);
    if (down && target.host === base.host) return { ok: false, reason: "down", message: down };
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      if (!(await this.#trusted(target, base))) {
        return { ok: false, reason: "untrusted", message: `${upstream.name} pointed to ${target.host}, which is neither its own host nor a public address: refused.` };
      }
      const headers: Record<string, string> = { "user-agent": USER_AGENT, ...options.headers };
      // Credentials go to the upstream's own origin only, never to a host its metadata names.
      if (upstream.authorization && target.host === base.host) headers.authorization = upstream.authorization;
      let response: Response;
      // A host that does not even start answering gets the short connect timeout, so that a
      // machine without network fails fast; the overall `signal` bounds the rest.
      const hop = new AbortController();
      const abort = () => hop.abort(signal.reason);
      if (signal.aborted) abort();
      signal.addEventListener("abort", abort, { once: true });
      const connect = setTimeout(() => hop.abort(new DOMException("no answer in time", "TimeoutError")), Math.min(this.#config.connectTimeoutMs, options.timeoutMs));
      try {
        this.onRequest(upstream.id);
        response = await this.#fetch(target.href, { method: options.method ?? "GET", headers, body: options.body, redirect: "manual", signal: hop.signal });
      } catch (error) {
        return this.#fail(upstream, target, errorFailure(upstream, error), now);
      } finally {
        clearTimeout(connect);
      }
      if (response.status >= 300 && response.status < 400 && response.status !== 304) {
        const location = response.headers.get("location");
        await response.body?.cancel().catch(() => undefined);
        if (!location) return { ok: false, reason: "status", status: response.status, message: `${upstream.name} answered ${response.status} without a Location.` };
        target = new URL(location, target);
        continue;
      }
      if (response.status >= 500) {
        await response.body?.cancel().catch(() => undefined);
        return this.#fail(upstream, target, { ok: false, reason: "status", status: response.status, message: `${upstream.name} answered HTTP ${response.status}.` }, now);
      }
      return { ok: true, response, url: target };
    }
    return { ok: false, reason: "untrusted", message: `${upstream.name} redirected more than ${MAX_REDIRECTS} times.` };
  }

  async #trusted(target: URL, base: URL): Promise<boolean> {
    if (target.host === base.host) return true;
    let resolved: string[] = [];
    if (this.#resolve && !/^[\d.]+$|^\[/.test(target.hostname)) {
      try {
        resolved = await this.#resolve(target.hostname);
      } catch {
        return false;
      }
    }
    return isTrustedTarget(target, base, resolved);
  }

  /** Network errors, timeouts and 5xx from the upstream's own host open the circuit. */
  #fail(upstream: Upstream, target: URL, failure: UpstreamFailure, now: number): UpstreamFailure {
    const opensCircuit = failure.reason === "network" || failure.reason === "timeout" || failure.reason === "status";
    if (opensCircuit && target.host === new URL(upstream.url).host && this.#config.retryAfterMs > 0) {
      this.#downUntil.set(upstream.id, { until: now + this.#config.retryAfterMs, message: failure.message });
    }
    return failure;
  }
}

function errorFailure(upstream: Upstream, error: unknown): UpstreamFailure {
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") return { ok: false, reason: "timeout", message: `${upstream.name} did not answer in time.` };
  return { ok: false, reason: "network", message: `${upstream.name} cannot be reached.` };
}

/** The whole body, or null when it is larger than `maxBytes` (checked while reading). */
export async function readLimited(response: Response, maxBytes: number): Promise<Uint8Array | null> {
  const declared = Number(response.headers.get("content-length") ?? "");
  if (Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    return null;
  }
  return readBoundedBytes(response.body, maxBytes);
}
