// /api/credentials: SSH keys and provider tokens for fetching repositories. Admin only; the
// secret is write-only (encrypted at rest, never returned).
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { credentials } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { optionalString, readJsonObject, requiredString, routeId } from "../http/json-body.ts";
import { SecretBox } from "./secret-box.ts";

export const CREDENTIAL_KINDS = ["ssh-key", "github-token", "gitlab-token", "http-basic"] as const;

export function credentialRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/credentials", requireScope("admin"));
  api.use("/credentials/*", requireScope("admin"));

  api.get("/credentials", async (c) => {
    const rows = await c.get("services").db.orm.select().from(credentials).orderBy(desc(credentials.id)).all();
    return c.json({ credentials: rows.map(credentialView) });
  });

  api.post("/credentials", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c, 64 * 1024);
    const name = requiredString(body, "name", 100);
    const kind = requiredString(body, "kind", 20);
    if (!(CREDENTIAL_KINDS as readonly string[]).includes(kind)) throw badRequest(`"kind" must be one of ${CREDENTIAL_KINDS.join(", ")}.`);
    const secret = body.secret;
    if (typeof secret !== "string" || secret.length === 0 || secret.length > 32 * 1024) throw badRequest('"secret" is required (at most 32 KB).');
    if (kind === "ssh-key" && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(secret)) throw badRequest('An "ssh-key" secret must be a PEM/OpenSSH private key.');
    const publicInfo = optionalString(body, "publicInfo", 4096) ?? null;
    const secretEnc = await new SecretBox(services.config.encryptionKey).seal(secret);
    const row = await services.db.orm.insert(credentials).values({ name, kind, publicInfo, secretEnc, createdAt: services.now() }).returning().get();
    return c.json(credentialView(row), 201);
  });

  api.delete("/credentials/:id", async (c) => {
    const row = await c.get("services").db.orm.delete(credentials).where(eq(credentials.id, routeId(c.req.param("id")))).returning().get();
    if (!row) throw notFound("No such credentials.");
    return c.body(null, 204);
  });

  return api;
}

function credentialView(row: typeof credentials.$inferSelect) {
  return { id: row.id, name: row.name, kind: row.kind, publicInfo: row.publicInfo, createdAt: new Date(row.createdAt).toISOString() };
}
