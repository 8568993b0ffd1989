// Security advisories recorded for private packages (or any name): `composer audit` against
// Satchel reports them, merged with the upstreams' advisories.
import { html } from "hono/html";
import { SEVERITIES } from "../src/advisories/advisory-input.ts";
import type { AdvisoryRow } from "../src/advisories/advisory-store.ts";
import { actionButton, csrfField } from "./components/form.ts";
import { day, safeHref } from "./components/format.ts";

const SEVERITY_BADGE: Record<string, string> = { low: "", medium: "warn", high: "bad", critical: "bad" };

export function advisoriesPage(view: { csrf: string; rows: AdvisoryRow[] }) {
  return html`<h1>Security advisories</h1>
<p class="muted">Advisories for your private packages. <code>composer audit</code> against Satchel reports them beside the upstreams' advisories for public packages.</p>
${view.rows.length === 0
  ? html`<div class="card"><p>No advisories recorded.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Advisory</th><th>Package</th><th>Affected versions</th><th>Severity</th><th>Reported</th><th></th></tr></thead><tbody>
${view.rows.map((row) => {
      const link = safeHref(row.link);
      return html`<tr><td>${link ? html`<a href="${link}" rel="noopener noreferrer">${row.title}</a>` : row.title}<div class="small muted"><code>${row.advisoryId}</code>${row.cve ? html` · ${row.cve}` : ""}</div></td>
<td><code>${row.packageName}</code></td><td><code>${row.affectedVersions}</code></td>
<td>${row.severity ? html`<span class="badge ${SEVERITY_BADGE[row.severity] ?? ""}">${row.severity}</span>` : ""}</td>
<td class="when">${day(row.reportedAt)}</td>
<td>${actionButton(`/admin/advisories/${row.id}/delete`, view.csrf, "Delete", { danger: true, small: true })}</td></tr>`;
    })}</tbody></table></div>`}
<h2>Record an advisory</h2>
<form class="card" method="post" action="/admin/advisories">${csrfField(view.csrf)}
<div class="row"><div><label for="packageName">Package</label><input id="packageName" name="packageName" required placeholder="acme/lib"></div>
<div><label for="affectedVersions">Affected versions (constraint)</label><input id="affectedVersions" name="affectedVersions" required placeholder="&gt;=1.0,&lt;1.4.2"></div></div>
<label for="title">Title</label><input id="title" name="title" required>
<div class="row"><div><label for="cve">CVE (optional)</label><input id="cve" name="cve" placeholder="CVE-2026-12345"></div>
<div><label for="severity">Severity</label><select id="severity" name="severity"><option value="">—</option>${SEVERITIES.map((severity) => html`<option value="${severity}">${severity}</option>`)}</select></div>
<div><label for="reportedAt">Reported (optional)</label><input id="reportedAt" name="reportedAt" type="date"></div></div>
<label for="link">Link (optional)</label><input id="link" name="link" type="url">
<button type="submit">Record advisory</button></form>`;
}
