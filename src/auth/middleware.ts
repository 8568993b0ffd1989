// Credentials for Composer endpoints and the REST API alike: http-basic with the owner's
// username and an API token as password, or `Authorization: Bearer <token>`. Passwords are
// never accepted here (only at login and POST /api/auth/token).
import type { MiddlewareHandler } from "hono";
import { AppError } from "../http/errors.ts";
import { clientIp, runInBackground, type AppContext, type AppEnv } from "../http/context.ts";
import { cachedTokenCheck, checkToken, type TokenCheck } from "./api-tokens.ts";
import type { Principal } from "./principal.ts";
import type { Scope } from "./roles.ts";

const INVALID = "Invalid or expired credentials. Use your username and an API token (http-basic), or a Bearer token.";

export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const principal = await authenticatedPrincipal(c);
    if (!principal) return next();
    c.set("principal", principal);
    await next();
    flushLastUsedWhenDue(c);
  };

/**
 * The principal named by the request's credentials; undefined without an Authorization header.
 * Bad credentials throw a 401, or a 429 for an address that keeps failing.
 */
export async function authenticatedPrincipal(c: AppContext): Promise<Principal | undefined> {
  const header = c.req.header("authorization");
  if (!header) return undefined;
  const presented = parseAuthorization(header);
  const check = presented ? await checkToken(c.get("services"), presented.token) : ({ ok: false, reason: "invalid" } as const);
  return admitted(c, presented, check);
}

/**
 * authenticatedPrincipal's answer without a promise when the token was verified recently (the
 * warm Composer path); null when it must be checked with authenticatedPrincipal.
 */
export function rememberedPrincipal(c: AppContext, now: number): Principal | undefined | null {
  const header = c.req.header("authorization");
  if (!header) return undefined;
  const presented = parseAuthorization(header);
  const check = presented && cachedTokenCheck(c.get("services"), presented.token, now);
  return check ? admitted(c, presented, check, now) : null;
}

function admitted(c: AppContext, presented: { username?: string; token: string } | null, check: TokenCheck, now = c.get("services").now()): Principal {
  const services = c.get("services");
  const ownerMatches = check.ok && (presented?.username === undefined || presented.username.toLowerCase() === check.principal.username.toLowerCase());
  if (!check.ok || !ownerMatches) {
    // Valid credentials always pass; an address that keeps failing gets 429s instead of 401s
    // (a CI farm behind one NAT must not be locked out by one machine's stale token).
    if (services.authFailures.hit(clientIp(c), now)) throw new AppError(429, "rate_limited", "Too many failed authentications. Try again later.");
    const expired = !check.ok && check.reason === "expired";
    const message = expired ? "Your token or account has expired. Create a new token." : INVALID;
    throw new AppError(401, expired ? "token_expired" : "unauthorized", message, { composerWarning: message });
  }
  if (check.principal.tokenId !== undefined) services.lastUsed.touch(check.principal.tokenId, now);
  return check.principal;
}

/** Writes batched last-used times once they are due, after the response. */
export function flushLastUsedWhenDue(c: AppContext, now = c.get("services").now()): void {
  const services = c.get("services");
  if (services.lastUsed.isDue(now)) runInBackground(c, services.lastUsed.flush(services.db, now));
}

/** Requires an authenticated principal holding `scope`; 401 without credentials, 403 without the right. */
export const requireScope = (scope: Scope): MiddlewareHandler<AppEnv> =>
  async function requireScope(c, next) {
    assertScope(c.get("principal"), scope);
    await next();
  };

export function assertScope(principal: Principal | undefined, scope: Scope): asserts principal is Principal {
  if (!principal) {
    const message = "Authentication required: use your username and an API token (http-basic) or a Bearer token.";
    throw new AppError(401, "unauthorized", message, { composerWarning: message });
  }
  if (!principal.scopes.includes(scope)) throw new AppError(403, "forbidden", `This requires the "${scope}" right.`);
}

export function currentPrincipal(c: { get(key: "principal"): Principal | undefined }): Principal {
  const principal = c.get("principal");
  if (!principal) throw new AppError(401, "unauthorized", "Authentication required.");
  return principal;
}

// Clients repeat the same header on every request: decode each once (bounded; a flood of
// distinct bad headers only churns this, it never grows past the bound).
const parsedHeaders = new Map<string, { username?: string; token: string } | null>();

function parseAuthorization(header: string): { username?: string; token: string } | null {
  let parsed = parsedHeaders.get(header);
  if (parsed === undefined) {
    if (parsedHeaders.size >= 1024) parsedHeaders.clear();
    parsed = decodeAuthorization(header);
    parsedHeaders.set(header, parsed);
  }
  return parsed;
}

function decodeAuthorization(header: string): { username?: string; token: string } | null {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return { token: value };
  if (scheme.toLowerCase() !== "basic") return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(Uint8Array.from(atob(value), (char) => char.charCodeAt(0)));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}
