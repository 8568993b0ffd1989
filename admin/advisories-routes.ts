// /admin/advisories: record and delete security advisories (the API's validation and storage).
import { Hono } from "hono";
import { readAdvisoryInput } from "../src/advisories/advisory-input.ts";
import { deleteAdvisory, listAdvisories, recordAdvisory } from "../src/advisories/advisory-store.ts";
import { auditFrom } from "../src/audit/audit-log.ts";
import { notFound } from "../src/http/errors.ts";
import { routeId } from "../src/http/json-body.ts";
import { advisoriesPage } from "./advisories-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, readForm } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";

export function advisoryPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => {
    const rows = await listAdvisories(c.get("services").db);
    return render(c, "Security advisories", advisoriesPage({ csrf: c.get("csrf"), rows }), { active: "advisories" });
  });

  pages.post("/", (c) =>
    formAction(c, "/admin/advisories", async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const document = Object.fromEntries(["packageName", "affectedVersions", "title", "cve", "severity", "link", "reportedAt"].map((name) => [name, field(form, name, 2048)]));
      const row = await recordAdvisory(services, readAdvisoryInput(document, services.now()));
      await auditFrom(c, c.get("session"), "advisory recorded", row.packageName, { advisoryId: row.advisoryId, affectedVersions: row.affectedVersions });
      return redirectWith(c, "/admin/advisories", "ok", `${row.advisoryId} was recorded for ${row.packageName}.`);
    }),
  );

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/advisories", async () => {
      const row = await deleteAdvisory(c.get("services").db, routeId(c.req.param("id")));
      if (!row) throw notFound("No such advisory.");
      await auditFrom(c, c.get("session"), "advisory deleted", row.packageName, { advisoryId: row.advisoryId });
      return redirectWith(c, "/admin/advisories", "ok", `${row.advisoryId} was deleted.`);
    }),
  );

  return pages;
}
