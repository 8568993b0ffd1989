// The dashboard for admins and maintainers: what is there, what is used, what is failing.
import { html } from "hono/html";
import { overviewCounts } from "../src/packages/overview-store.ts";
import { barChart } from "./components/bar-chart.ts";
import { count } from "./components/format.ts";
import { jobsTable } from "./jobs-page.ts";
import { render } from "./render.ts";
import type { PageContext } from "./page-context.ts";
import { downloadsPerDay } from "./stats-charts.ts";
import { recentJobs } from "../src/jobs/job-store.ts";

export async function dashboard(c: PageContext) {
  const services = c.get("services");
  const today = new Date(services.now()).toISOString().slice(0, 10);
  const monthAgo = services.now() - 30 * 86_400_000;
  const [counts, series, jobRows] = await Promise.all([overviewCounts(services.db, today, monthAgo), downloadsPerDay(services, 30), recentJobs(services.db, 8)]);
  const month = series.reduce((total, point) => total + point.value, 0);
  const failing = counts.failingPackages;
  const stat = (value: number, label: string, href?: string) =>
    html`<div class="stat"><b>${href ? html`<a href="${href}">${count(value)}</a>` : count(value)}</b><span>${label}</span></div>`;
  const body = html`<h1>Dashboard</h1>
<div class="stats">
${stat(counts.packages, "packages", "/admin/packages")}
${stat(counts.versions, `versions (${count(counts.devVersions)} dev)`)}
${stat(counts.downloadsToday, "downloads today")}
${stat(month, "downloads, last 30 days", "/admin/stats")}
${stat(counts.failedJobs, failing ? `failed updates, 30 days · ${count(failing)} packages failing now` : "failed updates, 30 days", "/admin/jobs?status=failed")}
</div>
<h2>Downloads per day</h2><div class="card">${barChart(series, { title: "Downloads per day, last 30 days" })}</div>
<h2>Recent jobs</h2>${jobsTable(jobRows)}
<p><a href="/admin/jobs">All jobs →</a></p>`;
  return render(c, "Dashboard", body, { active: "dashboard" });
}
