// /api/advisories: security advisories the admin records (for private packages, or any name);
// Composer reads them, merged with the upstreams', at /api/security-advisories.
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { runInBackground, type AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { readJsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import { drainMail } from "../mail/mail-outbox-store.ts";
import { composerAdvisory, readAdvisoryInput } from "./advisory-input.ts";
import { mailNewAdvisories } from "./advisory-mail.ts";
import { deleteAdvisory, listAdvisories, recordAdvisory } from "./advisory-store.ts";

export function advisoryRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/advisories", requireScope("admin"));
  api.use("/advisories/*", requireScope("admin"));

  api.get("/advisories", async (c) => {
    const rows = await listAdvisories(c.get("services").db);
    return c.json({ advisories: rows.map((row) => ({ id: row.id, ...composerAdvisory(row) })) });
  });

  api.post("/advisories", async (c) => {
    const services = c.get("services");
    const row = await recordAdvisory(services, readAdvisoryInput(await readJsonObject(c), services.now()));
    // Admins are mailed when it affects a published version (the mail is sent after the answer).
    if ((await mailNewAdvisories(services)) > 0) runInBackground(c, drainMail(services));
    return c.json({ id: row.id, ...composerAdvisory(row) }, 201);
  });

  api.delete("/advisories/:id", idParams("id"), async (c) => {
    const row = await deleteAdvisory(c.get("services").db, c.req.valid("param").id);
    if (!row) throw notFound("No such advisory.");
    return c.body(null, 204);
  });

  return api;
}
