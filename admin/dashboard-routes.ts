// The dashboard for admins and maintainers: what is there, what is used, what is failing.
import { html } from "hono/html";
import { overviewCounts } from "../src/packages/overview-store.ts";
import { keysInUse } from "../src/auth/key-usage-store.ts";
import { GcMarks } from "../src/gc/gc-marks-store.ts";
import { describeBytes } from "../src/http/bounded-body.ts";
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
  const [counts, series, jobRows, freedBytes, keys] = await Promise.all([
    overviewCounts(services.db, today, monthAgo),
    downloadsPerDay(services, 30),
    recentJobs(services.db, 8),
    new GcMarks(services.db).freedBytes(),
    keysInUse(services),
  ]);
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
<div class="stat"><b>${describeBytes(freedBytes)}</b><span>freed by garbage collection</span></div>
</div>
<h2>Downloads per day</h2><div class="card">${barChart(series, { title: "Downloads per day, last 30 days" })}</div>
<h2>Recent jobs</h2>${jobsTable(jobRows)}
<p><a href="/admin/jobs">All jobs →</a></p>
<h2>Keys in use</h2>
<table><thead><tr><th>JWT key</th><th>use</th><th class="num">live tokens</th><th class="num">never expiring</th><th>last expiry</th></tr></thead><tbody>
${keys.jwt.map((key) => html`<tr><td><code>${key.kid ?? "(before key ids)"}</code></td><td>${key.use}</td><td class="num">${count(key.liveTokens)}</td><td class="num">${count(key.neverExpiring)}</td><td>${key.lastExpiresAt ?? "—"}</td></tr>`)}
</tbody></table>
<p>Encryption key <code>${keys.encryption.keyId}</code>${keys.encryption.previousKeyIds.length ? html` (previous: ${keys.encryption.previousKeyIds.map((id) => html`<code>${id}</code> `)})` : ""}: ${count(keys.encryption.sealedUnderOtherKeys)} stored secrets still to re-encrypt.</p>`;
  return render(c, "Dashboard", body, { active: "dashboard" });
}
