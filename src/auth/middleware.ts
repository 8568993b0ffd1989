// Credentials for Composer endpoints and the REST API alike: http-basic with the owner's
// username and an API token as password, or `Authorization: Bearer <token>`. Passwords are
// never accepted here (only at login and POST /api/auth/token), and neither is a page session.
import type { MiddlewareHandler } from "hono";
import { AppError, JSON_CONTENT } from "../http/errors.ts";
import { securedDataResponse } from "../http/security-headers.ts";
import type { Services } from "../services.ts";
import { fromBase64 } from "../crypto/encoding.ts";
import { addressOf, clientIp, runInBackground, type AppEnv } from "../http/context.ts";
import { checkApiToken } from "./api-tokens.ts";
import type { Principal } from "./principal.ts";
import type { Scope } from "./roles.ts";

// The refusals are the same every time: built once (AppError.body serializes each once too), so a
// client that keeps failing costs no error object, message or JSON per request.
const INVALID = "Invalid or expired credentials. Use your username and an API token (http-basic), or a Bearer token.";
const EXPIRED = "Your token or account has expired. Create a new token.";
const REFUSED = new AppError(401, "unauthorized", INVALID, { composerWarning: INVALID });
const REFUSED_EXPIRED = new AppError(401, "token_expired", EXPIRED, { composerWarning: EXPIRED });
const RATE_LIMITED_MESSAGE = "Too many failed authentications. Try again later.";
const RATE_LIMITED = new AppError(429, "rate_limited", RATE_LIMITED_MESSAGE);
// The same 429, thrown instead of each refusal once the address is over its limit: app.onError
// still knows which refusal the header earned (the one a repeat gets when the limit resets).
const RATE_LIMITED_INSTEAD = new Map<AppError, AppError>([
  [REFUSED, new AppError(429, "rate_limited", RATE_LIMITED_MESSAGE)],
  [REFUSED_EXPIRED, new AppError(429, "rate_limited", RATE_LIMITED_MESSAGE)],
]);
const REQUIRED = "Authentication required: use your username and an API token (http-basic) or a Bearer token.";
const CREDENTIALS_REQUIRED = new AppError(401, "unauthorized", REQUIRED, { composerWarning: REQUIRED });

/**
 * The refusal of the presented credentials themselves that `error` answers (itself, or the 429
 * given instead of it): the same header earns it again, so app.onError offers it for remembering
 * (src/http/remembered-fetch.ts) with `countRefusal` run on every repeat. Undefined for any other error.
 */
export function credentialRefusalOf(error: AppError): AppError | undefined {
  if (error === REFUSED || error === REFUSED_EXPIRED) return error;
  for (const [refusal, limited] of RATE_LIMITED_INSTEAD) if (error === limited) return refusal;
  return undefined;
}

/**
 * What a repeated refusal does besides answering, as the middleware below does: the address's
 * failure is counted, and once it is over the limit the answer is the 429.
 */
export function countRefusal(services: Pick<Services, "authFailures" | "clientAddress">): (now: number, executionCtx: unknown, request: Request, env: unknown) => Response | undefined {
  return (now, _executionCtx, request, env) => {
    return services.authFailures.hit(addressOf(services, env, (name) => request.headers.get(name) ?? undefined), now) ? securedDataResponse(RATE_LIMITED.body(), 429, JSON_CONTENT) : undefined;
  };
}

export const authenticate = (): MiddlewareHandler<AppEnv> =>
  async function authenticate(c, next) {
    const services = c.get("services");
    const header = c.req.header("authorization");
    if (!header) return next();
    const now = services.now();
    const presented = parseAuthorization(header);
    const check = presented ? await checkApiToken(services, presented.token) : ({ ok: false, reason: "invalid" } as const);
    const ownerMatches = check.ok && (presented?.username === undefined || presented.username.toLowerCase() === check.principal.username.toLowerCase());
    if (!check.ok || !ownerMatches) {
      // Valid credentials always pass; an address that keeps failing gets 429s instead of 401s
      // (a CI farm behind one NAT must not be locked out by one machine's stale token).
      // The address is looked up only here: on Bun it is a call into the server, a twentieth of a warm request.
      const refusal = !check.ok && check.reason === "expired" ? REFUSED_EXPIRED : REFUSED;
      if (services.authFailures.hit(clientIp(c), now)) throw RATE_LIMITED_INSTEAD.get(refusal)!;
      throw refusal;
    }
    c.set("principal", check.principal);
    if (check.principal.tokenId !== undefined) services.lastUsed.touch(check.principal.tokenId, now);
    await next();
    if (services.lastUsed.isDue(now)) runInBackground(c, services.lastUsed.flush(services.db, now));
  };

/** Requires an authenticated principal holding `scope`; 401 without credentials, 403 without the right. */
export const requireScope = (scope: Scope): MiddlewareHandler<AppEnv> =>
  async function requireScope(c, next) {
    const principal = c.get("principal");
    if (!principal) throw CREDENTIALS_REQUIRED;
    if (!principal.scopes.includes(scope)) throw new AppError(403, "forbidden", `This requires the "${scope}" right.`);
    await next();
  };

export function currentPrincipal(c: { get(key: "principal"): Principal | undefined }): Principal {
  const principal = c.get("principal");
  if (!principal) throw new AppError(401, "unauthorized", "Authentication required.");
  return principal;
}

// Clients send the same header on every request: parse each once (bounded; a flood of
// different headers only churns it).
const parsedHeaders = new Map<string, { username?: string; token: string } | null>();

/** Bearer <token>, or Basic <user:token> (Composer's http-basic); null for anything else or malformed base64. */
export function parseAuthorization(header: string): { username?: string; token: string } | null {
  let parsed = parsedHeaders.get(header);
  if (parsed === undefined) {
    if (parsedHeaders.size >= 1024) parsedHeaders.clear();
    parsed = parseAuthorizationOnce(header);
    if (parsed) Object.freeze(parsed);
    parsedHeaders.set(header, parsed);
  }
  return parsed;
}

function parseAuthorizationOnce(header: string): { username?: string; token: string } | null {
  const [scheme, value] = header.trim().split(/\s+/, 2);
  if (!scheme || !value) return null;
  if (scheme.toLowerCase() === "bearer") return { token: value };
  if (scheme.toLowerCase() !== "basic") return null;
  let decoded: string;
  try {
    decoded = new TextDecoder().decode(fromBase64(value));
  } catch {
    return null;
  }
  const colon = decoded.indexOf(":");
  if (colon < 0) return null;
  return { username: decoded.slice(0, colon), token: decoded.slice(colon + 1) };
}
