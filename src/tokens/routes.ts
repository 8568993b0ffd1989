// /api/tokens: every user lists, creates and revokes their own API tokens; admins may revoke
// anyone's. A token is shown once, at creation. Page sessions are not API tokens: they are
// neither listed nor revocable here (sign-out and a password change end them).
import { and, desc, eq, isNull } from "drizzle-orm";
import { Hono } from "hono";
import { issueToken, revokeToken } from "../auth/api-tokens.ts";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import { tokens } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { isoOrNull, optionalDate, readJsonObject, requiredString, routeId } from "../http/json-body.ts";
import { mintingToken, requestedExpiry, requestedScopes } from "./token-request.ts";

export function tokenRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/tokens", requireScope("tokens"));
  api.use("/tokens/*", requireScope("tokens"));

  api.get("/tokens", async (c) => {
    const principal = currentPrincipal(c);
    const rows = await c.get("services").db.orm
      .select()
      .from(tokens)
      .where(and(eq(tokens.userId, principal.userId), eq(tokens.kind, "api"), isNull(tokens.revokedAt)))
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
    const expiresAt = requestedExpiry(optionalDate(body, "expiresAt") ?? null, principal, services.now());
    const parentId = mintingToken(principal)?.id ?? null;
    const issued = await issueToken(services, { userId: principal.userId, name, kind: "api", scopes, expiresAt, parentId });
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

function tokenView(row: typeof tokens.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    expiresAt: isoOrNull(row.expiresAt),
    // A trusted-publishing token may write this one package and nothing else.
    ...(row.packageName === null ? {} : { package: row.packageName }),
  };
}
