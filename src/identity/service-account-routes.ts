// /api/service-accounts (admins): non-person accounts such as "CI deploy". They get roles and
// groups like any user, and API tokens that are listed, scoped, expiring and revocable like any
// other; they have no password, so no page session and no second factor. What they do is
// audited under their own name.
import { Hono } from "hono";
import { revokeToken } from "../auth/api-tokens.ts";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { isoOrNull, optionalDate, readJsonObject, requiredString } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import type { Services } from "../services.ts";
import { apiTokensOf } from "../tokens/token-list.ts";
import { readUserInput } from "../users/user-input.ts";
import { saveUser } from "../users/user-store.ts";
import { mintServiceAccountToken } from "./service-account-tokens.ts";
import { ServiceAccountStore, type ServiceAccount } from "./service-account-store.ts";

export function serviceAccountRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/service-accounts", requireScope("admin"));
  api.use("/service-accounts/*", requireScope("admin"));

  api.get("/service-accounts", async (c) => {
    const accounts = await new ServiceAccountStore(c.get("services").db).list();
    return c.json({ serviceAccounts: accounts.map(serviceAccountView) });
  });

  api.post("/service-accounts", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    if (body.password !== undefined) throw badRequest("A service account has no password: give it API tokens instead.", "service_account");
    const id = await saveUser(services, null, { ...readUserInput(body, true), kind: "service" });
    return c.json(serviceAccountView(await serviceAccount(services, id)), 201);
  });

  api.get("/service-accounts/:id", idParams("id"), async (c) => c.json(serviceAccountView(await serviceAccount(c.get("services"), c.req.valid("param").id))));

  api.delete("/service-accounts/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    if (!(await new ServiceAccountStore(services.db).remove(id))) throw notFound("No such service account.");
    services.forgetAccess(id);
    return c.body(null, 204);
  });

  api.get("/service-accounts/:id/tokens", idParams("id"), async (c) => {
    const services = c.get("services");
    const account = await serviceAccount(services, c.req.valid("param").id);
    return c.json({ tokens: await apiTokensOf(services.db, account.id) });
  });

  api.post("/service-accounts/:id/tokens", idParams("id"), async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const request = { name: requiredString(body, "name", 100), scopes: body, expiresAt: optionalDate(body, "expiresAt") ?? null };
    const issued = await mintServiceAccountToken(services, c.req.valid("param").id, request);
    return c.json({ ...issued, lastUsedAt: null }, 201);
  });

  api.delete("/service-accounts/:id/tokens/:tokenId", idParams("id", "tokenId"), async (c) => {
    const services = c.get("services");
    const account = await serviceAccount(services, c.req.valid("param").id);
    if (!(await revokeToken(services, c.req.valid("param").tokenId, account.id))) throw notFound("No such token.");
    return c.body(null, 204);
  });

  return api;
}

async function serviceAccount(services: Services, id: number): Promise<ServiceAccount> {
  const account = await new ServiceAccountStore(services.db).find(id);
  if (!account) throw notFound("No such service account.");
  return account;
}

function serviceAccountView(account: ServiceAccount) {
  return {
    id: account.id,
    username: account.username,
    roles: account.roles,
    groups: account.groups,
    disabled: account.disabled,
    expiresAt: isoOrNull(account.expiresAt),
    createdAt: new Date(account.createdAt).toISOString(),
  };
}
