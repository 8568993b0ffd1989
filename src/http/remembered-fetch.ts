// The app's fetch, answering a repeated Composer request from its remembered answer
// (src/cache/answer-memo.ts) before Hono runs. Only answers a handler offered (rememberAnswer:
// packages.json, p2 and their 304s, built by securedDataResponse with their security headers)
// are kept, keyed by everything of the request they depend on: the URL (host and sub-repository
// included), the credentials, the accepted encoding, If-Modified-Since and the User-Agent (the
// Composer-version policy). A hit still does what the request path does besides answering:
// it counts the request in the metrics and records the token's last use.
import type { AnswerMemo } from "../cache/answer-memo.ts";
import { classify, type RequestMetrics } from "../metrics/request-metrics.ts";
import type { Principal } from "../auth/principal.ts";
import type { AppContext } from "./context.ts";
import { clientAcceptEncoding } from "./accept-encoding.ts";
import { partsOf, type ResponseParts } from "./security-headers.ts";
import { pathOf } from "./write-announcer.ts";

type Fetch<Ctx> = (request: Request, env?: unknown, executionCtx?: Ctx) => Response | Promise<Response>;

export interface RememberingServices {
  answers: AnswerMemo;
  metrics: RequestMetrics;
  now(): number;
  /** Records the token's last use on a hit (the authenticate middleware's side effect). */
  touchToken(tokenId: number, now: number, executionCtx: unknown): void;
  /** True when work is waiting to run after a response (the outbox): the app then answers. */
  hasPendingWork(): boolean;
}

/**
 * Done on every answer given from memory, besides what every Composer answer does (the
 * upstream's hit counter, a refusal's failure count). A response returned answers instead (the 429
 * a refusal turns into once the address is over its limit).
 */
export type OnHit = (now: number, executionCtx: unknown, request: Request, env: unknown) => Response | void;

interface Offer {
  until: number;
  tokenId?: number;
  onHit?: OnHit;
  /** What to remember, when not the offered response itself. */
  parts?: ResponseParts;
}

const offers = new WeakMap<Response, Offer>();

/**
 * Offers a finished Composer answer for remembering, for as long as `principal` stays valid
 * (its token's and account's expiry) and no longer than `options.until` (what it was made from
 * stays fresh). Returns the response unchanged.
 */
export function rememberAnswer(c: AppContext, response: Response, principal: Principal, options: { until?: number; onHit?: OnHit } = {}): Response {
  const services = c.get("services");
  const now = services.now();
  let until = now + services.answers.lifetimeMs;
  for (const expiry of [principal.tokenExpiresAt, principal.expiresAt, options.until]) if (expiry !== undefined && expiry !== null) until = Math.min(until, expiry);
  if (until > now && partsOf(response)) offers.set(response, { until, tokenId: principal.tokenId, onHit: options.onHit });
  return response;
}

/**
 * Offers the refusal of a request's credentials (src/auth/middleware.ts) for remembering: the
 * same header is refused again the same way, with `onHit` counting each repeat against the
 * address's limit.
 */
export function rememberRefusal(c: AppContext, response: Response, refusal: Response, onHit: OnHit): Response {
  const services = c.get("services");
  // What is remembered is the refusal itself (`response` may be the 429 given instead of it):
  // each repeat's onHit decides between the two, as the middleware does.
  const parts = partsOf(refusal);
  if (c.req.method === "GET" && parts) offers.set(response, { until: services.now() + services.answers.lifetimeMs, onHit, parts });
  return response;
}

export function rememberingFetch<Ctx>(services: RememberingServices, fetch: Fetch<Ctx>): Fetch<Ctx> {
  return function rememberingFetch(request, env, executionCtx) {
    if (request.method !== "GET") return fetch(request, env, executionCtx);
    const header = headerReader(request, env);
    // An X-Request-Id is echoed back: that answer is the request's own.
    if (header("x-request-id") !== undefined) return fetch(request, env, executionCtx);
    // Header values and URLs cannot hold a line break: the parts cannot run into each other.
    const key = `${request.url}\n${header("authorization") ?? ""}\n${clientAcceptEncoding(request, header) ?? ""}\n${header("if-modified-since") ?? ""}\n${header("user-agent") ?? ""}`;
    const now = services.now();
    const remembered = services.hasPendingWork() ? undefined : services.answers.get(key, now);
    if (remembered !== undefined) {
      if (remembered.tokenId !== undefined) services.touchToken(remembered.tokenId, now, executionCtx);
      const instead = remembered.onHit?.(now, executionCtx, request, env);
      services.metrics.record(remembered.endpoint, instead ? instead.status : remembered.status, 0);
      return instead ?? new Response(remembered.body, remembered.init);
    }
    const generation = services.answers.generation;
    const answered = fetch(request, env, executionCtx);
    const keep = (response: Response) => {
      const offer = offers.get(response);
      const parts = offer && (offer.parts ?? partsOf(response));
      if (parts && (parts.body === null || typeof parts.body === "string" || parts.body instanceof Uint8Array)) {
        services.answers.set(key, { status: parts.init.status, body: reusableBody(parts.body), init: reusableInit(parts.init), endpoint: classify(pathOf(request.url)), tokenId: offer.tokenId, onHit: offer.onHit, until: offer.until }, generation, services.now());
      }
      return response;
    };
    return answered instanceof Response ? keep(answered) : answered.then(keep);
  };
}

// Bun copies a Headers object into its response natively, faster than it reads a plain object;
// @hono/node-server writes a plain object straight to the socket and would copy a Headers back.
const headersObjectIsFaster = typeof (globalThis as { Bun?: unknown }).Bun !== "undefined";

function reusableBody(body: Uint8Array | string | null): Uint8Array | string | Blob | null {
  return headersObjectIsFaster && body instanceof Uint8Array ? new Blob([body]) : body;
}

function reusableInit(init: ResponseInit & { headers: Record<string, string> }): ResponseInit {
  return headersObjectIsFaster ? { ...init, headers: new Headers(init.headers) } : init;
}

type HeaderReader = (name: string) => string | undefined;

/** @hono/node-server hands over Node's own header object: read it instead of building a Headers. */
function headerReader(request: Request, env: unknown): HeaderReader {
  const incoming = (env as { incoming?: { headers?: Record<string, string | string[] | undefined> } } | undefined)?.incoming?.headers;
  if (incoming) {
    return (name) => {
      const value = incoming[name];
      return Array.isArray(value) ? value.join(", ") : value;
    };
  }
  return (name) => request.headers.get(name) ?? undefined;
}

