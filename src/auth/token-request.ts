// What a new token may carry, decided from who asks for it. Three minters exist:
// - a password (POST /api/auth/token) or a signed-in human (/account): the owner's rights;
// - an API token (POST /api/tokens): never more than that token, in rights or in lifetime.
import type { Principal } from "./principal.ts";
import { isScope, type Scope } from "./roles.ts";
import { badRequest } from "../http/errors.ts";
import type { JsonObject } from "../http/json-body.ts";

/** The API token minting, if an API token is what asks (null: a password or a page session). */
export function mintingToken(principal: Principal): { id: number; expiresAt: number | null } | null {
  if (principal.tokenKind !== "api" || principal.tokenId === undefined) return null;
  return { id: principal.tokenId, expiresAt: principal.tokenExpiresAt ?? null };
}

/**
 * Scopes asked for must be a subset of what the caller holds. None asked (omitted, null or []):
 * from a password or a session, stored as [] ("the owner's rights"); from an API token, exactly
 * that token's effective scopes, stored explicitly so they never widen.
 */
export function requestedScopes(body: JsonObject, principal: Principal): Scope[] {
  const held = principal.scopes;
  const raw = body.scopes ?? [];
  if (!Array.isArray(raw) || !raw.every(isScope)) throw badRequest(`"scopes" must list some of: ${held.join(", ")}.`, "invalid_scopes");
  const missing = raw.filter((scope) => !held.includes(scope));
  if (missing.length) throw badRequest(`You cannot grant scopes you do not hold: ${missing.join(", ")}.`, "invalid_scopes");
  if (raw.length) return [...new Set(raw)];
  return mintingToken(principal) ? [...held] : [];
}

/**
 * The new token's expiry: in the future, and for a token minted by an API token no later than
 * that token's. Asking for nothing gets the parent's expiry; asking for a later date is a 400.
 * Tokens minted on /account may outlive the 12 h session: a signed-in human made them.
 */
export function requestedExpiry(asked: number | null, principal: Principal, now: number): number | null {
  if (asked !== null && asked <= now) throw badRequest('"expiresAt" must be in the future.');
  const ceiling = mintingToken(principal)?.expiresAt ?? null;
  if (ceiling === null) return asked;
  if (asked === null) return ceiling;
  if (asked > ceiling) {
    throw badRequest(`"expiresAt" must not be later than the expiry of the token you are using (${new Date(ceiling).toISOString()}): a token cannot outlive the token that made it.`);
  }
  return asked;
}
