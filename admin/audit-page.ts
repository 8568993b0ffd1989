// The audit log: who did what, when, from where.
import { html } from "hono/html";
import type { AuditRow } from "../src/audit/audit-store.ts";
import { dateTime } from "./components/format.ts";
import { pagination } from "./components/pagination.ts";

export const AUDIT_PER_PAGE = 100;

export function auditPage(view: { rows: AuditRow[]; total: number; page: number }) {
  return html`<h1>Audit log</h1>
<p class="muted">Every admin action, in the pages and through the API, and every sign-in.</p>
${view.rows.length === 0
  ? html`<p class="muted">Nothing recorded yet.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th>When (UTC)</th><th>Who</th><th>What</th><th>Target</th><th class="hide-narrow">Details</th><th>From</th></tr></thead><tbody>
${view.rows.map(
      (row) => html`<tr><td style="white-space:nowrap">${dateTime(row.at)}</td><td style="white-space:nowrap">${row.actorName}</td><td>${row.action}</td><td>${row.target ?? ""}</td>
<td class="hide-narrow small" style="word-break:break-all;max-width:22rem">${row.details ? html`<code>${JSON.stringify(row.details)}</code>` : ""}</td><td class="small">${row.ip ?? ""}</td></tr>`,
    )}</tbody></table></div>`}
${pagination("/admin/audit", {}, view.page, view.total, AUDIT_PER_PAGE)}`;
}
