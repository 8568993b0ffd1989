// /api/credentials: SSH keys and provider tokens for fetching repositories. Admin only; the
// secret is write-only (encrypted at rest, never returned).
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { optionalString, readJsonObject, requiredString } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import { deleteCredential, listCredentials, saveCredential, type CredentialRow } from "./credential-store.ts";

export function credentialRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/credentials", requireScope("admin"));
  api.use("/credentials/*", requireScope("admin"));

  api.get("/credentials", async (c) => {
    const rows = await listCredentials(c.get("services").db);
    return c.json({ credentials: rows.map(credentialView) });
  });

  api.post("/credentials", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c, 64 * 1024);
    const row = await saveCredential(services, {
      name: requiredString(body, "name", 100),
      kind: requiredString(body, "kind", 20),
      secret: body.secret,
      publicInfo: optionalString(body, "publicInfo", 4096) ?? null,
    });
    return c.json(credentialView(row), 201);
  });

  api.delete("/credentials/:id", idParams("id"), async (c) => {
    const row = await deleteCredential(c.get("services").db, c.req.valid("param").id);
    if (!row) throw notFound("No such credentials.");
    return c.body(null, 204);
  });

  return api;
}

function credentialView(row: Omit<CredentialRow, "secretEnc">) {
  return { id: row.id, name: row.name, kind: row.kind, publicInfo: row.publicInfo, createdAt: new Date(row.createdAt).toISOString() };
}
