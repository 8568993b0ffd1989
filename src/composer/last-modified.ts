// Composer keeps the raw Last-Modified and sends it back as If-Modified-Since; a response is
// fresh only when it is a 304 with an empty body. ETag and Cache-Control are never read.
import type { Context } from "hono";
import { acceptsGzip, clientAcceptEncoding } from "../http/accept-encoding.ts";
import { securedDataResponse } from "../http/security-headers.ts";
import { RenderedBody } from "./metadata-store.ts";

// Formatting a date is a measurable share of a warm p2 request; clock values repeat a lot.
const formatted = new Map<number, string>();

export function httpDate(clockSeconds: number): string {
  let date = formatted.get(clockSeconds);
  if (date === undefined) {
    if (formatted.size > 10_000) formatted.clear();
    date = new Date(Math.max(clockSeconds, 1) * 1000).toUTCString();
    formatted.set(clockSeconds, date);
  }
  return date;
}

export function isNotModified(c: Context, clockSeconds: number): boolean {
  const since = c.req.header("if-modified-since");
  if (!since) return false;
  const sinceMs = Date.parse(since);
  return Number.isFinite(sinceMs) && Math.floor(sinceMs / 1000) >= Math.max(clockSeconds, 1);
}

/**
 * A 304 with an empty body, or the JSON body with its Last-Modified, from a body kept in both
 * forms: gzip when the client accepts it (Composer's curl always does). Sending a tenth of the
 * bytes is most of the cost of a warm request. `encodeBody: "manual"` tells workerd the body is
 * already encoded.
 */
export function negotiatedJson(c: Context, body: { raw: Uint8Array<ArrayBuffer>; gzipped: Uint8Array<ArrayBuffer> }, clockSeconds: number): Response {
  const lastModified = httpDate(clockSeconds);
  if (isNotModified(c, clockSeconds)) return securedDataResponse(null, 304, { "Last-Modified": lastModified, Vary: "Accept-Encoding" });
  if (!acceptsGzip(clientAcceptEncoding(c.req.raw))) return securedDataResponse(body.raw, 200, { "Content-Type": "application/json", "Last-Modified": lastModified, Vary: "Accept-Encoding" });
  const gzipped = { "Content-Type": "application/json", "Last-Modified": lastModified, Vary: "Accept-Encoding", "Content-Encoding": "gzip" };
  return securedDataResponse(body.gzipped, 200, gzipped, { encodeBody: "manual" });
}

// Gzipped copies of bodies another cache owns as bytes (the proxy's rendered documents), made
// once per body and dropped with it.
const renderedCopies = new WeakMap<Uint8Array, RenderedBody>();

/** negotiatedJson for a body kept only as bytes: its gzip form is made on first demand, once. */
export function negotiatedBytes(c: Context, raw: Uint8Array<ArrayBuffer>, clockSeconds: number): Response {
  let body = renderedCopies.get(raw);
  if (body === undefined) renderedCopies.set(raw, (body = new RenderedBody(raw)));
  return negotiatedJson(c, body, clockSeconds);
}
