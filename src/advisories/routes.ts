// /api/advisories: security advisories the admin records (for private packages, or any name);
// Composer reads them, merged with the upstreams', at /api/security-advisories.
import { desc, eq } from "drizzle-orm";
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { securityAdvisories } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { readJsonObject, routeId } from "../http/json-body.ts";
import type { Services } from "../services.ts";
import { composerAdvisory, readAdvisoryInput } from "./advisory-input.ts";

export function advisoryRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/advisories", requireScope("admin"));
  api.use("/advisories/*", requireScope("admin"));

  api.get("/advisories", async (c) => {
    const rows = await c.get("services").db.orm.select().from(securityAdvisories).orderBy(desc(securityAdvisories.id)).all();
    return c.json({ advisories: rows.map((row) => ({ id: row.id, ...composerAdvisory(row) })) });
  });

  api.post("/advisories", async (c) => {
    const services = c.get("services");
    const row = await recordAdvisory(services, readAdvisoryInput(await readJsonObject(c), services.now()));
    return c.json({ id: row.id, ...composerAdvisory(row) }, 201);
  });

  api.delete("/advisories/:id", async (c) => {
    const row = await c.get("services").db.orm.delete(securityAdvisories).where(eq(securityAdvisories.id, routeId(c.req.param("id")))).returning().get();
    if (!row) throw notFound("No such advisory.");
    return c.body(null, 204);
  });

  return api;
}

export async function recordAdvisory(services: Services, input: ReturnType<typeof readAdvisoryInput>) {
  const advisoryId = `SATCHEL-${new Date(services.now()).getUTCFullYear()}-${crypto.randomUUID().slice(0, 8)}`;
  return services.db.orm.insert(securityAdvisories).values({ ...input, advisoryId, createdAt: services.now() }).returning().get();
}
