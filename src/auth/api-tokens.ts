// Issuing, verifying and revoking tokens. A token is a JWT plus a DB row (by jti) that holds its
// name, kind, scopes, expiry, the token that minted it, last use and revocation.
//
// Rules (README, "Security: tokens and sessions"): an API token and a page session never stand
// in for each other; a token minted by a token lists its scopes explicitly and is recorded as
// that token's child; revoking a token revokes every token it minted, transitively.
import { AppError } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { looksLikeJwt, type TokenKind } from "./jwt.ts";
import { loadPrincipal, type Principal } from "./principal.ts";
import { isScope, type Scope } from "./roles.ts";
import { insertToken, revokeTokenFamily, tokenByJti } from "./token-store.ts";
import { apiTokenDigest, checksumMatches, hasApiTokenShape, newApiToken } from "./token-format.ts";

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: "invalid" | "expired" };

export interface IssuedToken {
  id: number;
  token: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
}

export interface NewToken {
  userId: number;
  name: string;
  kind: TokenKind;
  /** Empty only for a token without a parent: "everything the owner may do". */
  scopes: Scope[];
  expiresAt: number | null;
  /** The API token that asked for this one (null: a password sign-in or a page session). */
  parentId: number | null;
  /** Confines the token to uploading to and updating this one package (trusted publishing). */
  packageName?: string | null;
}

const INVALID = { ok: false, reason: "invalid" } as const;
const EXPIRED = { ok: false, reason: "expired" } as const;

export async function issueToken(services: Services, input: NewToken): Promise<IssuedToken> {
  const now = services.now();
  // An API token is opaque (token-format.ts) and its row holds only its digest; a page session
  // stays a signed JWT (it lives in a cookie, never in a CI log), with the id of its signing key.
  const opaque = input.kind === "api" ? newApiToken() : null;
  const jti = opaque ? await apiTokenDigest(opaque) : crypto.randomUUID();
  const kid = opaque ? null : await services.jwt.signingKid();
  // One statement: the parent must still be live when the child is written. A revocation that
  // runs first leaves nothing to insert; one that runs after finds the child and revokes it too.
  const id = await insertToken(services.db, { jti, ...input, packageName: input.packageName ?? null, kid, createdAt: now });
  if (id === null) throw new AppError(401, "unauthorized", "The token you used was revoked or has expired.");
  const token = opaque ?? (await services.jwt.sign({ userId: input.userId, jti, kind: input.kind, scopes: input.scopes, expiresAt: input.expiresAt }, now));
  return {
    id,
    token,
    name: input.name,
    scopes: input.scopes,
    createdAt: new Date(now).toISOString(),
    expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt).toISOString(),
  };
}

/** API credentials (Bearer, http-basic): a page session is refused. */
export function checkApiToken(services: Services, token: string): Promise<TokenCheck> {
  return checkToken(services, token, "api");
}

/** The pages' cookie: an API token is refused. */
export function checkSessionToken(services: Services, token: string): Promise<TokenCheck> {
  return checkToken(services, token, "session");
}

/** Verifies a presented token; served from memory when it was verified, or refused, within the cache TTL. */
async function checkToken(services: Services, token: string, kind: TokenKind): Promise<TokenCheck> {
  const now = services.now();
  // The warm path: nothing but this lookup (only verified tokens are in it), whatever the format.
  const cached = services.tokenCache.get(token, now, kind);
  if (cached) return accountCheck(cached, now);

  const opaque = kind === "api" && hasApiTokenShape(token);
  // A typo or garbage is refused on its face (a `satchel_` token's checksum: no DB read), more
  // cheaply than it could be remembered.
  if (opaque ? !checksumMatches(token) : !looksLikeJwt(token)) return INVALID;
  const refused = services.tokenCache.refusal(token, now, kind);
  if (refused) return refused === "expired" ? EXPIRED : INVALID;
  const presented = opaque ? { ok: true as const, jti: await apiTokenDigest(token) } : await signedToken(services, token, kind, now);
  if (!presented.ok) return refuse(services, token, kind, presented.reason, now);
  const row = await tokenByJti(services.db, presented.jti);
  if (!row || row.revokedAt !== null || (presented.userId !== undefined && row.userId !== presented.userId) || row.kind !== kind) return refuse(services, token, kind, "invalid", now);
  if (row.expiresAt !== null && row.expiresAt <= now) return refuse(services, token, kind, "expired", now);
  const owner = await loadPrincipal(services.db, row.userId);
  if (!owner) return INVALID;
  const principal: Principal = {
    ...owner,
    ...confinedRights(effectiveScopes(owner.scopes, row), row.packageName),
    tokenId: row.id,
    tokenJti: row.jti,
    tokenKind: kind,
    tokenExpiresAt: row.expiresAt,
  };
  services.tokenCache.set(token, principal, now, row.expiresAt);
  return accountCheck(principal, now);
}

/** A refusal that lies in the token (forged, unknown, revoked, expired): the same token is refused from memory for the cache TTL. */
function refuse(services: Services, token: string, kind: TokenKind, reason: "invalid" | "expired", now: number): TokenCheck {
  services.tokenCache.refuse(token, now, kind, reason);
  return reason === "expired" ? EXPIRED : INVALID;
}

type Presented = { ok: true; jti: string; userId?: number } | { ok: false; reason: "invalid" | "expired" };

/** A JWT: a page session, or an API token issued before tokens had the `satchel_` format. */
async function signedToken(services: Services, token: string, kind: TokenKind, now: number): Promise<Presented> {
  const verified = await services.jwt.verify(token, now);
  if (!verified.ok) return verified;
  if (verified.claims.kind !== kind) return INVALID;
  return { ok: true, jti: verified.claims.jti, userId: verified.claims.userId };
}

/** The owner's role rights, narrowed by the token's scopes. */
function effectiveScopes(ownerScopes: Scope[], row: { scopes: string[]; parentId: number | null }): Scope[] {
  // An empty list means "everything the owner may do" only on a root token; a minted child
  // always lists its scopes, so an empty list there grants nothing.
  if (row.scopes.length === 0) return row.parentId === null ? ownerScopes : [];
  const granted = row.scopes.filter(isScope);
  return ownerScopes.filter((scope) => granted.includes(scope));
}

/**
 * A package-confined token holds no general right at all (so every route that asks for a scope
 * refuses it); only the routes that write one package look at `packageWrite`.
 */
function confinedRights(scopes: Scope[], packageName: string | null): Pick<Principal, "scopes" | "packageWrite"> {
  if (packageName === null) return { scopes };
  return scopes.includes("packages:write") ? { scopes: [], packageWrite: packageName } : { scopes: [] };
}

function accountCheck(principal: Principal, now: number): TokenCheck {
  if (principal.disabled) return INVALID;
  if (principal.expiresAt !== null && principal.expiresAt <= now) return EXPIRED;
  return { ok: true, principal };
}

/** Revokes an API token (of `ownerId`, when given) and every token it minted, transitively. */
export function revokeToken(services: Services, tokenId: number, ownerId?: number): Promise<boolean> {
  return revokeFamily(services, tokenId, "api", ownerId);
}

/** Ends a page session (sessions mint no children: tokens made on /account have no parent). */
export function revokeSession(services: Services, tokenId: number, ownerId: number): Promise<boolean> {
  return revokeFamily(services, tokenId, "session", ownerId);
}

async function revokeFamily(services: Services, tokenId: number, kind: TokenKind, ownerId: number | undefined): Promise<boolean> {
  // One statement, so no descendant is missed by a child inserted halfway (see issueToken).
  const rows = await revokeTokenFamily(services.db, tokenId, kind, ownerId, services.now());
  if (!rows.some((row) => row.id === tokenId)) return false;
  services.tokenCache.evictTokens(new Set(rows.map((row) => row.jti)));
  return true;
}
