// /api/webhook-secrets: the secrets incoming hooks are checked with. Maintainers manage the
// secrets of packages; a secret for every package (an integration) takes an admin.
import { Hono } from "hono";
import { currentPrincipal, requireScope } from "../../auth/middleware.ts";
import type { AppEnv } from "../../http/context.ts";
import { forbidden, notFound } from "../../http/errors.ts";
import { optionalString, readJsonObject } from "../../http/json-body.ts";
import { idParams } from "../../http/route-params.ts";
import { checkedSecretInput, createHookSecret, deleteHookSecret, findHookSecret, listHookSecrets } from "./hook-secret-store.ts";

export function hookSecretRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/webhook-secrets", requireScope("packages:write"));
  api.use("/webhook-secrets/*", requireScope("packages:write"));

  api.get("/webhook-secrets", async (c) => c.json({ secrets: await listHookSecrets(c.get("services")) }));

  api.post("/webhook-secrets", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const input = await checkedSecretInput(services, {
      name: optionalString(body, "name", 100) ?? undefined,
      packageName: optionalString(body, "package", 255) ?? undefined,
      provider: optionalString(body, "provider", 20) ?? undefined,
      secret: typeof body.secret === "string" ? body.secret : undefined,
    });
    if (input.packageId === null && !currentPrincipal(c).scopes.includes("admin")) throw forbidden("A secret for every package takes an admin; name a package.");
    const { row, secret } = await createHookSecret(services, input);
    // The secret is shown this once; it is stored sealed.
    return c.json({ id: row.id, name: row.name, package: optionalString(body, "package", 255) ?? null, provider: row.provider, secret }, 201);
  });

  api.delete("/webhook-secrets/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    const row = await findHookSecret(services.db, id);
    if (!row) throw notFound("No such webhook secret.");
    if (row.packageId === null && !currentPrincipal(c).scopes.includes("admin")) throw forbidden("Only an admin may delete a secret for every package.");
    await deleteHookSecret(services.db, id);
    return c.body(null, 204);
  });

  return api;
}
