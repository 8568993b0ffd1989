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

export const securityHeaders = (): MiddlewareHandler =>
  async function securityHeaders(c, next) {
    await next();
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
