// /api/tokens: every user lists, creates and revokes their own tokens; admins may revoke
// anyone's. A token is shown once, at creation.
import { and, desc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { issueToken, revokeToken } from "../auth/api-tokens.ts";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import type { Principal } from "../auth/principal.ts";
import { isScope, scopesOfRoles, type Scope } from "../auth/roles.ts";
import { tokens } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { isoOrNull, optionalDate, readJsonObject, requiredString, routeId, type JsonObject } from "../http/json-body.ts";

export function tokenRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/tokens", requireScope("tokens"));
  api.use("/tokens/*", requireScope("tokens"));

  api.get("/tokens", async (c) => {
    const principal = currentPrincipal(c);
    const rows = await c.get("services").db.orm
      .select()
      .from(tokens)
      .where(and(eq(tokens.userId, principal.userId), isNull(tokens.revokedAt)))
      .orderBy(desc(tokens.id))
      .all();
    return c.json({ tokens: rows.map(tokenView) });
  });

  api.post("/tokens", async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const body = await readJsonObject(c);
    const name = requiredString(body, "name", 100);
    const scopes = requestedScopes(body, principal);
    const expiresAt = optionalDate(body, "expiresAt") ?? null;
    if (expiresAt !== null && expiresAt <= services.now()) throw badRequest('"expiresAt" must be in the future.');
    const issued = await issueToken(services, { userId: principal.userId, name, scopes, expiresAt });
    return c.json({ ...issued, lastUsedAt: null }, 201);
  });

  api.delete("/tokens/:id", async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const isAdmin = principal.scopes.includes("admin");
    const revoked = await revokeToken(services, routeId(c.req.param("id")), isAdmin ? undefined : principal.userId);
    if (!revoked) throw notFound("No such token.");
    return c.body(null, 204);
  });

  return api;
}

/** Scopes asked for must be a subset of what the caller holds: a token cannot mint more rights. */
export function requestedScopes(body: JsonObject, principal: Principal): Scope[] {
  const held = principal.scopes;
  const raw = body.scopes;
  // No scopes: everything the caller holds. Stored as [] ("the owner's rights") only when the
  // caller holds all of them; a narrowed token must not mint a full one.
  if (raw === undefined || raw === null) return held.length === scopesOfRoles(principal.roles).length ? [] : [...held];
  if (!Array.isArray(raw) || !raw.every(isScope)) throw badRequest(`"scopes" must list some of: ${held.join(", ")}.`, "invalid_scopes");
  const missing = raw.filter((scope) => !held.includes(scope));
  if (missing.length) throw badRequest(`You cannot grant scopes you do not hold: ${missing.join(", ")}.`, "invalid_scopes");
  return [...new Set(raw)];
}

function tokenView(row: typeof tokens.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    expiresAt: isoOrNull(row.expiresAt),
  };
}
