// /admin/integrations: connect an organization (a missing scope answers 422 with the message
// on the page), sync it, add its repositories, remove it.
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { AppError, notFound } from "../src/http/errors.ts";
import { routeId } from "../src/http/json-body.ts";
import { addRepositories } from "../src/integrations/add-repositories.ts";
import { connectIntegration, parseConnectInput } from "../src/integrations/connect-integration.ts";
import { deleteIntegration, findIntegration, listIntegrationRepositories, listIntegrations } from "../src/integrations/integration-store.ts";
import { integrationView, repositoryView } from "../src/integrations/integration-view.ts";
import { removeOrgHook } from "../src/integrations/org-hook.ts";
import { chooseRepositories } from "../src/integrations/routes.ts";
import { runSyncStep, startSync } from "../src/integrations/sync-step.ts";
import { field, fieldList, readForm } from "./form-input.ts";
import { integrationPage, integrationsPage } from "./integrations-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";

export function integrationPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", (c) => listView(c));

  pages.post("/", async (c) => {
    const form = await readForm(c);
    const app = field(form, "appId", 40) ? { appId: field(form, "appId", 40), installationId: field(form, "installationId", 40), privateKey: field(form, "privateKey", 16 * 1024) } : undefined;
    const body = { provider: field(form, "provider", 20), apiUrl: field(form, "apiUrl", 500), organization: field(form, "organization", 255), token: field(form, "token", 4096), app, webhooks: field(form, "webhooks") === "1", autoSync: field(form, "autoSync") === "1" };
    try {
      const { row, warning } = await connectIntegration(c.get("services"), parseConnectInput(body));
      await auditFrom(c, c.get("session"), "integration connected", `${row.provider} ${row.organization}`, { id: row.id });
      return redirectWith(c, `/admin/integrations/${row.id}`, warning ? "error" : "ok", warning ?? `${row.organization} is connected. Sync it to list its repositories.`);
    } catch (error) {
      // The reason (a missing scope, a refused token) stays on the page with the form's status.
      if (error instanceof AppError && error.status < 500) return listView(c, error.message, error.status);
      throw error;
    }
  });

  pages.get("/:id", async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(c);
    const repositories = (await listIntegrationRepositories(services.db, row.id)).map(repositoryView);
    return render(c, row.organization, integrationPage({ csrf: c.get("csrf"), row: integrationView(row), repositories }), { active: "integrations" });
  });

  pages.post("/:id/sync", (c) =>
    formAction(c, `/admin/integrations/${c.req.param("id")}`, async () => {
      const services = c.get("services");
      const row = await startSync(services, await integrationOr404(c));
      const state = await runSyncStep(services, row);
      return redirectWith(c, `/admin/integrations/${row.id}`, state === "failed" ? "error" : "ok", `Sync ${state === "idle" ? "finished" : state === "running" ? "continues in the background" : state}.`);
    }),
  );

  pages.post("/:id/repositories", (c) =>
    formAction(c, `/admin/integrations/${c.req.param("id")}`, async () => {
      const services = c.get("services");
      const row = await integrationOr404(c);
      const chosen = chooseRepositories(await listIntegrationRepositories(services.db, row.id), fieldList(await readForm(c), "repositories"));
      const report = await addRepositories(services, row, chosen);
      await auditFrom(c, c.get("session"), "integration repositories added", row.organization, { added: report.added.map((entry) => entry.repository) });
      return redirectWith(c, `/admin/integrations/${row.id}`, "ok", `${report.added.length} repositories are being added.${report.skipped.length ? ` Skipped: ${report.skipped.map((entry) => `${entry.repository} (${entry.reason})`).join(", ")}.` : ""}`);
    }),
  );

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/integrations", async () => {
      const services = c.get("services");
      const row = await integrationOr404(c);
      await removeOrgHook(services, row);
      await deleteIntegration(services.db, row.id);
      await auditFrom(c, c.get("session"), "integration removed", row.organization, { id: row.id });
      return redirectWith(c, "/admin/integrations", "ok", `${row.organization} was removed; its packages stay.`);
    }),
  );

  return pages;
}

async function integrationOr404(c: PageContext) {
  const row = await findIntegration(c.get("services").db, routeId(c.req.param("id")));
  if (!row) throw notFound("No such integration.");
  return row;
}

async function listView(c: PageContext, error?: string, status?: AppError["status"]) {
  const rows = (await listIntegrations(c.get("services").db)).map(integrationView);
  return render(c, "Integrations", integrationsPage({ csrf: c.get("csrf"), rows, error }), { active: "integrations", status });
}
