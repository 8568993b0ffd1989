// CSRF tokens for every form, on top of SameSite=Strict cookies and the Origin check. A token
// is an HMAC of the session's jti (or, before sign-in, of a random pre-session cookie), so it
// needs no storage and dies with the session.
import { getCookie, setCookie } from "hono/cookie";
import type { Context } from "hono";
import { constantTimeEqual } from "../src/crypto/constant-time.ts";
import { toBase64Url } from "../src/crypto/encoding.ts";
import { hmacSha256 } from "../src/crypto/hmac.ts";
import type { Services } from "../src/services.ts";

const PRE_SESSION_COOKIE = "satchel_csrf";

export async function csrfToken(services: Services, binding: string): Promise<string> {
  return toBase64Url(await hmacSha256(`csrf:${services.config.jwtSecret}`, binding));
}

/** The binding for forms shown before sign-in: a random cookie, created on first use. */
export function preSessionBinding(c: Context): string {
  const existing = getCookie(c, PRE_SESSION_COOKIE);
  if (existing && /^[a-f0-9-]{36}$/.test(existing)) return `pre:${existing}`;
  const value = crypto.randomUUID();
  setCookie(c, PRE_SESSION_COOKIE, value, { httpOnly: true, sameSite: "Strict", secure: isHttps(c), path: "/" });
  return `pre:${value}`;
}

export async function checkCsrf(services: Services, binding: string, presented: unknown): Promise<boolean> {
  if (typeof presented !== "string" || presented.length === 0 || presented.length > 100) return false;
  return constantTimeEqual(presented, await csrfToken(services, binding));
}

/** Forms must come from our own pages: the Origin (or Referer) must match the request's origin. */
export function sameOrigin(c: Context): boolean {
  const expected = new URL(c.req.url).origin;
  const referer = c.req.header("referer");
  let origin = c.req.header("origin");
  if (origin === undefined && referer) {
    try {
      origin = new URL(referer).origin;
    } catch {
      return false;
    }
  }
  return origin === undefined || origin === expected;
}

/**
 * Cookies get `Secure` when the request came over https, or when PUBLIC_URL is https: behind a
 * proxy that terminates TLS the request itself arrives as http.
 */
export function isHttps(c: { req: { url: string }; get(key: "services"): Services }): boolean {
  return new URL(c.req.url).protocol === "https:" || /^https:/i.test(c.get("services").config.publicUrl ?? "");
}
