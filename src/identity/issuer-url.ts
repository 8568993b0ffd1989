// Which OIDC issuers (and key URLs they name) Satchel may trust: https, or an http:// loopback
// address when SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS=1 (tests and local trials). Nothing else: a
// key fetched over plain http from another host could be swapped on the way.
import { parseIpv4 } from "../http/ip-address.ts";

/** The issuer as tokens name it: no trailing slash, so `https://gitlab.com/` and `https://gitlab.com` are one. */
export function normalizeIssuer(issuer: string): string {
  return issuer.trim().replace(/\/+$/, "");
}

/** Why this URL may not serve OIDC metadata or keys; null when it may. */
export function issuerUrlProblem(raw: string, allowInsecure: boolean): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return "is not an absolute URL";
  }
  if (url.username || url.password) return "must not carry credentials";
  if (url.search || url.hash) return "must not have a query or a fragment";
  if (url.protocol === "https:") return null;
  if (url.protocol !== "http:") return "must be an https:// URL";
  if (!allowInsecure) return "must be an https:// URL (http:// on a loopback address needs SATCHEL_OIDC_ALLOW_INSECURE_ISSUERS=1)";
  return isLoopbackHost(url.hostname) ? null : "may use http:// only on a loopback address";
}

function isLoopbackHost(hostname: string): boolean {
  if (hostname === "localhost" || hostname === "[::1]") return true;
  return parseIpv4(hostname)?.[0] === 127;
}
