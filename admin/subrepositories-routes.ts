// /admin/subrepositories: the page form of /api/subrepositories (same checks, audited).
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { routeId } from "../src/http/json-body.ts";
import { saveChecked } from "../src/subrepositories/routes.ts";
import { readSubrepositoryInput } from "../src/subrepositories/subrepository-input.ts";
import { deleteSubrepository, listSubrepositories, readSubrepository } from "../src/subrepositories/subrepository-store.ts";
import { describeSubrepository } from "../src/subrepositories/subrepository-view.ts";
import { field, readForm } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { requirePageScope } from "./session.ts";
import { subrepositoriesPage } from "./subrepositories-page.ts";

const HOME = "/admin/subrepositories";

export function subrepositoryPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => {
    const services = c.get("services");
    const rows = await listSubrepositories(services.db);
    const { packages } = await services.catalog.snapshot(services.now());
    const subrepositories = rows.map((row) => describeSubrepository(row, packages, baseOf(c)));
    return render(c, "Sub-repositories", subrepositoriesPage({ csrf: c.get("csrf"), subrepositories }), { active: "subrepositories" });
  });

  pages.post("/", (c) => formAction(c, HOME, () => save(c, null)));

  pages.post("/:id", (c) => formAction(c, HOME, () => save(c, routeId(c.req.param("id")))));

  pages.post("/:id/delete", (c) =>
    formAction(c, HOME, async () => {
      const services = c.get("services");
      const row = await readSubrepository(services.db, routeId(c.req.param("id")));
      await deleteSubrepository(services, row.id);
      services.forgetAccess();
      await auditFrom(c, c.get("session"), "sub-repository deleted", row.slug, { id: row.id });
      return redirectWith(c, HOME, "ok", `${row.name} was deleted.`);
    }),
  );

  return pages;
}

async function save(c: PageContext, id: number | null): Promise<Response> {
  const services = c.get("services");
  if (id !== null) await readSubrepository(services.db, id);
  const form = await readForm(c);
  const body = {
    name: field(form, "name", 200),
    slug: field(form, "slug", 200),
    hostname: field(form, "hostname", 300),
    packages: field(form, "packages", 200_000).split(/\s+/).filter(Boolean),
    public: field(form, "public", 10) === "1",
  };
  const input = readSubrepositoryInput(body, true);
  const saved = await saveChecked(services, id, input, baseOf(c));
  await auditFrom(c, c.get("session"), id === null ? "sub-repository created" : "sub-repository updated", input.slug, { id: saved, packages: input.packages, public: input.isPublic, hostname: input.hostname ?? null });
  return redirectWith(c, HOME, "ok", `${input.name} was saved.`);
}

const baseOf = (c: PageContext) => publicBase(c, c.get("services").config.publicUrl);
