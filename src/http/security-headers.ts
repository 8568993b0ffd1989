// Headers on every response: no MIME sniffing, no framing, no referrer beyond our origin, and a
// Content-Security-Policy. Pages run only scripts served by us (/assets/*: no inline script,
// no inline handler); they keep inline style attributes, which run no code. Everything else
// (JSON, metadata, archives) may load nothing at all.
import type { MiddlewareHandler } from "hono";

const PAGE_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  // Package READMEs may show images from their own hosts.
  "img-src 'self' data: https:",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join("; ");

const OTHER_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'";

const COMMON: [string, string][] = [
  ["X-Content-Type-Options", "nosniff"],
  ["X-Frame-Options", "DENY"],
  ["Referrer-Policy", "same-origin"],
];

/** The headers every non-page answer carries, for responses built with them already. */
export const DATA_SECURITY_HEADERS: Readonly<Record<string, string>> = Object.freeze({
  ...Object.fromEntries(COMMON),
  "Content-Security-Policy": OTHER_POLICY,
});

// Marks a response built by securedDataResponse: it carries the headers already, so the
// middleware does not rewrite them (which turns a runtime's plain header object into a
// validated Headers and cost a fifth of a warm p2 request on Node). The mark keeps what the
// response was built from, so a remembered answer (src/http/remembered-fetch.ts) is rebuilt
// from the same parts.
const SECURED = Symbol("security headers set");

/** What a securedDataResponse was built from. */
export interface ResponseParts {
  body: BodyInit | null;
  init: ResponseInit & { status: number; headers: Record<string, string> };
}

type Secured = Response & { [SECURED]?: ResponseParts };

/**
 * A non-HTML response (JSON, an archive, a 304) built with the security headers in one go,
 * instead of having the middleware add them afterwards. `headers` must not set them itself.
 */
export function securedDataResponse(body: BodyInit | null, status: number, headers: Record<string, string>, init: Record<string, unknown> = {}): Response {
  const parts: ResponseParts = { body, init: { ...init, status, headers: { ...DATA_SECURITY_HEADERS, ...headers } } };
  const response: Secured = new Response(body, parts.init);
  response[SECURED] = parts;
  return response;
}

/** The parts of a response built by securedDataResponse (undefined for any other). */
export function partsOf(response: Response): ResponseParts | undefined {
  return (response as Secured)[SECURED];
}

export const securityHeaders = (): MiddlewareHandler =>
  async function securityHeaders(c, next) {
    await next();
    if (partsOf(c.res)) return;
    const isPage = (c.res.headers.get("content-type") ?? "").startsWith("text/html");
    const headers: [string, string][] = [...COMMON, ["Content-Security-Policy", isPage ? PAGE_POLICY : OTHER_POLICY]];
    try {
      for (const [name, value] of headers) c.res.headers.set(name, value);
    } catch {
      // A response passed through from fetch() has immutable headers: copy it first.
      c.res = new Response(c.res.body, c.res);
      for (const [name, value] of headers) c.res.headers.set(name, value);
    }
  };
