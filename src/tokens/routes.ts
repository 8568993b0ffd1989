// /api/tokens: every user lists, creates and revokes their own API tokens; admins may revoke
// anyone's. A token is shown once, at creation. Page sessions are not API tokens: they are
// neither listed nor revocable here (sign-out and a password change end them).
import { Hono } from "hono";
import { issueToken, revokeToken } from "../auth/api-tokens.ts";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { optionalDate, readJsonObject, requiredString } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import { apiTokensOf } from "./token-list.ts";
import { mintingToken, requestedExpiry, requestedScopes } from "../auth/token-request.ts";

export function tokenRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/tokens", requireScope("tokens"));
  api.use("/tokens/*", requireScope("tokens"));

  api.get("/tokens", async (c) => {
    return c.json({ tokens: await apiTokensOf(c.get("services").db, currentPrincipal(c).userId) });
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

  api.delete("/tokens/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const isAdmin = principal.scopes.includes("admin");
    const revoked = await revokeToken(services, c.req.valid("param").id, isAdmin ? undefined : principal.userId);
    if (!revoked) throw notFound("No such token.");
    return c.body(null, 204);
  });

  return api;
}
