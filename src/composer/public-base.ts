// Stored metadata names our own URLs relative to a placeholder, because the public base can be
// unset (then each request's scheme and host decide it) or change; it is filled in when served
// and the result cached per base.
import type { Context } from "hono";

export const PUBLIC_BASE_PLACEHOLDER = "%SATCHEL_BASE%";

export function withPublicBase(document: string, base: string): string {
  const escaped = JSON.stringify(base).slice(1, -1);
  return document.replaceAll(`"${PUBLIC_BASE_PLACEHOLDER}/`, `"${escaped}/`);
}

/** The base of this request's repository: the root's, or a sub-repository's (set by subrepositories/repository-access.ts). */
export function publicBase(c: Context, configured: string | undefined): string {
  const repositoryBase: unknown = c.get("repositoryBase");
  if (typeof repositoryBase === "string") return repositoryBase;
  if (configured) return configured;
  // Every runtime hands over a normalized absolute URL: its origin ends at the first "/" after
  // "scheme://" (no URL parse per request).
  const url = c.req.url;
  const pathStart = url.indexOf("/", url.indexOf("//") + 2);
  return pathStart < 0 ? url : url.slice(0, pathStart);
}
