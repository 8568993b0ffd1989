// /admin: every page behind a session; each section checks its own role (admins everything,
// maintainers packages, jobs and statistics). Client errors render as pages, not JSON.
import { html } from "hono/html";
import { Hono } from "hono";
import { auditPage as auditRows } from "../src/audit/audit-store.ts";
import { AppError } from "../src/http/errors.ts";
import { AUDIT_PER_PAGE, auditPage } from "./audit-page.ts";
import { credentialPages } from "./credentials-routes.ts";
import { integrationPages } from "./integrations-routes.ts";
import { serviceAccountPages } from "./service-accounts-routes.ts";
import { identityProviderPages } from "./identity-providers-routes.ts";
import { groupPages } from "./groups-routes.ts";
import { subrepositoryPages } from "./subrepositories-routes.ts";
import { jobsPage } from "./jobs-page.ts";
import { packagePages } from "./packages-routes.ts";
import { render } from "./render.ts";
import { acceptsUploadForm, pageNumber } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { requirePageScope, requireSession } from "./session.ts";
import { statsPage } from "./stats-page.ts";
import { downloadsPerDay, topPackages } from "./stats-charts.ts";
import { recentJobs } from "../src/jobs/job-store.ts";
import { userPages } from "./users-routes.ts";
import { webhookPages } from "./webhooks-routes.ts";
import { advisoryPages } from "./advisories-routes.ts";
import { upstreamPages } from "./upstreams-routes.ts";
import { securityAlertsPage } from "./security-alerts-page.ts";
import { openAlerts } from "../src/integrations/security/security-alert-store.ts";
import { policyPages } from "./policies-routes.ts";

export function adminArea() {
  const area = new Hono<PageEnv>();
  area.use("/packages/upload", acceptsUploadForm());
  area.use("*", requireSession());
  area.route("/packages", packagePages());
  area.route("/users", userPages());
  area.route("/groups", groupPages());
  area.route("/subrepositories", subrepositoryPages());
  area.route("/credentials", credentialPages());
  area.route("/integrations", integrationPages());
  area.route("/service-accounts", serviceAccountPages());
  area.route("/identity-providers", identityProviderPages());
  area.route("/webhooks", webhookPages());
  area.route("/upstreams", upstreamPages());
  area.route("/advisories", advisoryPages());
  area.route("/policies", policyPages());

  area.get("/security-alerts", requirePageScope("admin"), async (c) => {
    return render(c, "Security alerts", securityAlertsPage(await openAlerts(c.get("services").db)), { active: "security-alerts" });
  });

  area.get("/jobs", requirePageScope("packages:write"), async (c) => {
    const status = ["queued", "running", "done", "failed"].includes(c.req.query("status") ?? "") ? (c.req.query("status") ?? "") : "";
    const rows = await recentJobs(c.get("services").db, 200, status ? { status } : {});
    return render(c, "Jobs", jobsPage(rows, status), { active: "jobs" });
  });

  area.get("/stats", requirePageScope("packages:write"), async (c) => {
    const services = c.get("services");
    const days = [7, 30, 90].includes(Number(c.req.query("days"))) ? Number(c.req.query("days")) : 30;
    const [total, top] = await Promise.all([downloadsPerDay(services, days), topPackages(services, days, 20)]);
    const perPackage = await Promise.all(
      top.slice(0, 3).map(async (row) => {
        const id = (await services.catalog.find(row.name, services.now()))?.id;
        return { name: row.name, points: id === undefined ? [] : await downloadsPerDay(services, days, id) };
      }),
    );
    return render(c, "Statistics", statsPage({ days, total, top, perPackage }), { active: "stats" });
  });

  area.get("/audit", requirePageScope("admin"), async (c) => {
    const page = pageNumber(c.req.query("page"));
    const { rows, total } = await auditRows(c.get("services").db, (page - 1) * AUDIT_PER_PAGE, AUDIT_PER_PAGE);
    return render(c, "Audit log", auditPage({ rows, total, page }), { active: "audit" });
  });

  area.onError((error, c) => {
    if (!(error instanceof AppError) || error.status >= 500 || !c.get("session")) throw error;
    const body = html`<div class="card narrow"><h1>${error.status === 404 ? "Not found" : "That did not work"}</h1><p>${error.message}</p><p><a href="/">Back to the start</a></p></div>`;
    return render(c, error.status === 404 ? "Not found" : "Error", body, { status: error.status });
  });

  return area;
}
