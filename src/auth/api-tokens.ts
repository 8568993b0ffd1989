// Issuing, verifying and revoking API tokens. A token is a JWT plus a DB row (by jti) that
// holds its name, scopes, expiry, last use and revocation.
import { and, eq } from "drizzle-orm";
import { tokens } from "../db/schema.ts";
import type { Services } from "../services.ts";
import { looksLikeJwt } from "./jwt.ts";
import { loadPrincipal, type Principal } from "./principal.ts";
import { isScope, type Scope } from "./roles.ts";

export type TokenCheck = { ok: true; principal: Principal } | { ok: false; reason: "invalid" | "expired" };

export interface IssuedToken {
  id: number;
  token: string;
  name: string;
  scopes: Scope[];
  createdAt: string;
  expiresAt: string | null;
}

export async function issueToken(
  services: Services,
  input: { userId: number; name: string; scopes: Scope[]; expiresAt: number | null },
): Promise<IssuedToken> {
  const now = services.now();
  const jti = crypto.randomUUID();
  const row = await services.db.orm
    .insert(tokens)
    .values({ jti, userId: input.userId, name: input.name, scopes: input.scopes, expiresAt: input.expiresAt, createdAt: now })
    .returning()
    .get();
  const token = await services.jwt.sign({ userId: input.userId, jti, scopes: input.scopes, expiresAt: input.expiresAt }, now);
  return {
    id: row.id,
    token,
    name: row.name,
    scopes: input.scopes,
    createdAt: new Date(now).toISOString(),
    expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt).toISOString(),
  };
}

/** checkToken's answer from memory, without a promise; undefined when the token must be verified. */
export function cachedTokenCheck(services: Services, token: string, now = services.now()): TokenCheck | undefined {
  // Only verified tokens are cached: a hit needs no shape check.
  const cached = services.tokenCache.get(token, now);
  return cached ? accountCheck(cached, now) : undefined;
}

/** Verifies a presented token; served from memory when it was verified within the cache TTL. */
export async function checkToken(services: Services, token: string): Promise<TokenCheck> {
  const cached = cachedTokenCheck(services, token);
  if (cached) return cached;
  const now = services.now();
  if (!looksLikeJwt(token)) return { ok: false, reason: "invalid" };
  const rejected = services.tokenCache.rejection(token, now);
  if (rejected) return { ok: false, reason: rejected };
  const refuse = (reason: "invalid" | "expired"): TokenCheck => {
    services.tokenCache.reject(token, reason, now);
    return { ok: false, reason };
  };

  const verified = await services.jwt.verify(token, now);
  if (!verified.ok) return refuse(verified.reason);
  const row = await services.db.orm.select().from(tokens).where(eq(tokens.jti, verified.claims.jti)).get();
  if (!row || row.revokedAt !== null || row.userId !== verified.claims.userId) return refuse("invalid");
  if (row.expiresAt !== null && row.expiresAt <= now) return refuse("expired");
  const owner = await loadPrincipal(services.db, row.userId);
  if (!owner) return refuse("invalid");
  const granted = row.scopes.filter(isScope);
  const principal: Principal = {
    ...owner,
    // An empty scope list means "everything the owner may do".
    scopes: granted.length ? owner.scopes.filter((scope) => granted.includes(scope)) : owner.scopes,
    tokenId: row.id,
    tokenJti: row.jti,
  };
  services.tokenCache.set(token, principal, now, row.expiresAt);
  return accountCheck(principal, now);
}

function accountCheck(principal: Principal, now: number): TokenCheck {
  if (principal.disabled) return { ok: false, reason: "invalid" };
  if (principal.expiresAt !== null && principal.expiresAt <= now) return { ok: false, reason: "expired" };
  return { ok: true, principal };
}

export async function revokeToken(services: Services, tokenId: number, ownerId?: number): Promise<boolean> {
  const condition = ownerId === undefined ? eq(tokens.id, tokenId) : and(eq(tokens.id, tokenId), eq(tokens.userId, ownerId));
  const row = await services.db.orm.update(tokens).set({ revokedAt: services.now() }).where(condition).returning().get();
  if (!row) return false;
  services.tokenCache.evictToken(row.jti);
  return true;
}
