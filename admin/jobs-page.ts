// Jobs: recent updates with status, duration and the reasons of skipped refs or failures
// (from job.result, written by the git worker: {error} or {skipped: [{kind, name, reason}]}).
import { html } from "hono/html";
import { dateTime, duration } from "./components/format.ts";
import type { JobListRow } from "../src/jobs/job-store.ts";

const STATUS_BADGE: Record<string, string> = { done: "ok", failed: "bad", running: "info", queued: "warn" };

export function statusBadge(status: string) {
  return html`<span class="badge ${STATUS_BADGE[status] ?? ""}">${status}</span>`;
}

export function jobsTable(rows: JobListRow[]) {
  if (rows.length === 0) return html`<p class="muted">No jobs yet.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th>Job</th><th>Package</th><th>Status</th><th>Queued</th><th>Duration</th><th>Outcome</th></tr></thead><tbody>
${rows.map(
    (job) => html`<tr><td>${job.kind}<div class="small muted"><code>${job.id.slice(0, 8)}</code>${job.attempts > 1 ? ` · ${job.attempts} attempts` : ""}</div></td>
<td>${job.packageName ? html`<a href="/admin/packages/${job.packageName}">${job.packageName}</a>` : html`<span class="muted">${repositoryOf(job)}</span>`}</td>
<td>${statusBadge(job.status)}</td><td class="when">${dateTime(job.createdAt)}</td><td>${duration(job.startedAt, job.finishedAt)}</td>
<td>${outcome(job.result)}</td></tr>`,
  )}</tbody></table></div>`;
}

export function jobsPage(rows: JobListRow[], status: string) {
  const filters = ["", "queued", "running", "done", "failed"];
  return html`<div class="toolbar"><h1>Jobs</h1><nav class="pager">${filters.map(
    (filter) => html`<a class="button ${filter === status ? "" : "secondary"}" style="margin:0" href="/admin/jobs${filter ? `?status=${filter}` : ""}">${filter || "all"}</a>`,
  )}</nav></div>
${jobsTable(rows)}`;
}

function repositoryOf(job: JobListRow): string {
  // Edge jobs (lock-file reviews, security checks) name their package in the payload.
  const repository = job.payload?.repository ?? job.payload?.package;
  return typeof repository === "string" ? repository : "";
}

function outcome(result: Record<string, unknown> | null) {
  if (!result) return "";
  const error = typeof result.error === "string" ? result.error : null;
  const skipped = Array.isArray(result.skipped) ? result.skipped.filter((item): item is Record<string, unknown> => Boolean(item) && typeof item === "object") : [];
  const summary = Object.entries(result)
    .filter(([key, value]) => key !== "error" && key !== "skipped" && (typeof value === "string" || typeof value === "number"))
    .map(([key, value]) => `${key}: ${String(value)}`)
    .join(", ");
  return html`${error ? html`<div class="error">${error}</div>` : ""}${summary ? html`<div class="small">${summary}</div>` : ""}
${skipped.length
  ? html`<details><summary>${skipped.length} refs skipped</summary><ul class="small">${skipped.slice(0, 200).map(
      (skip) => html`<li><code>${String(skip.kind ?? "")} ${String(skip.name ?? "")}</code>: ${String(skip.reason ?? "")}</li>`,
    )}</ul></details>`
  : ""}`;
}
