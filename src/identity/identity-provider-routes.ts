// /api/identity-providers (admins): OpenID Connect providers for sign-in. The client secret is
// write-only: sealed at rest and never shown back.
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { readJsonObject, requiredString } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import { providerSettings, providerView } from "./identity-provider-input.ts";
import { IdentityProviderStore, type ProviderSettings } from "./identity-provider-store.ts";

export function identityProviderRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/identity-providers", requireScope("admin"));
  api.use("/identity-providers/*", requireScope("admin"));
  const store = (c: { get(key: "services"): AppEnv["Variables"]["services"] }) => new IdentityProviderStore(c.get("services").db, c.get("services").config.encryptionKey);

  api.get("/identity-providers", async (c) => c.json({ identityProviders: (await store(c).list()).map(providerView) }));

  api.get("/identity-providers/:id", idParams("id"), async (c) => {
    const provider = await store(c).find({ id: c.req.valid("param").id });
    if (!provider) throw notFound("No such identity provider.");
    return c.json(providerView(provider));
  });

  api.post("/identity-providers", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const settings = providerSettings(body, true, services.config.allowInsecureOidcIssuers === true) as ProviderSettings;
    const secret = requiredString(body, "clientSecret", 1024);
    return c.json(providerView(await store(c).create(settings, secret, services.now())), 201);
  });

  api.put("/identity-providers/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const current = await store(c).find({ id: c.req.valid("param").id });
    if (!current) throw notFound("No such identity provider.");
    const settings = providerSettings(body, false, services.config.allowInsecureOidcIssuers === true, current.kind);
    const secret = body.clientSecret === undefined ? undefined : requiredString(body, "clientSecret", 1024);
    const updated = await store(c).update(current.id, settings, secret);
    if (!updated) throw notFound("No such identity provider.");
    return c.json(providerView(updated));
  });

  api.delete("/identity-providers/:id", idParams("id"), async (c) => {
    if (!(await store(c).remove(c.req.valid("param").id))) throw notFound("No such identity provider.");
    return c.body(null, 204);
  });

  return api;
}
