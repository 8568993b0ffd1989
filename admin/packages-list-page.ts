// Packages: search, filters and pages of 50.
import { html } from "hono/html";
import { count } from "./components/format.ts";
import { pagination } from "./components/pagination.ts";
import { PACKAGE_FILTERS, PACKAGES_PER_PAGE, type PackageFilter, type PackageListRow } from "../src/packages/package-list-store.ts";

export function packagesListPage(view: { rows: PackageListRow[]; total: number; q: string; filter: PackageFilter; page: number; canWrite: boolean }) {
  const params: Record<string, string> = {};
  if (view.q) params.q = view.q;
  if (view.filter !== "all") params.filter = view.filter;
  return html`<div class="toolbar"><h1>Packages</h1>
<form method="get" action="/admin/packages" role="search">
<input type="search" name="q" value="${view.q}" placeholder="Search name or description" aria-label="Search packages">
<select name="filter" aria-label="Filter" style="width:auto">${PACKAGE_FILTERS.map((filter) => html`<option value="${filter}"${filter === view.filter ? " selected" : ""}>${filter}</option>`)}</select>
<button type="submit">Search</button></form>
${view.canWrite ? html`<a class="button" style="margin:0" href="/admin/packages/new">Add package</a>` : ""}</div>
<p class="muted small">${count(view.total)} ${view.total === 1 ? "package" : "packages"}${view.q ? html` matching “${view.q}”` : ""}.</p>
${view.rows.length === 0
  ? html`<div class="card"><p>No packages${view.q || view.filter !== "all" ? " match" : " yet"}.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th class="hide-narrow">Description</th><th>Source</th><th class="num">Versions</th><th class="num">Downloads (30 d)</th></tr></thead><tbody>
${view.rows.map(
      (row) => html`<tr><td><a href="/admin/packages/${row.name}"><code>${row.name}</code></a> ${badges(row)}</td>
<td class="hide-narrow">${row.description ?? ""}</td><td>${row.kind === "vcs" ? "git" : "upload"}</td>
<td class="num">${count(row.versionCount)}</td><td class="num">${count(row.downloads30)}</td></tr>`,
    )}</tbody></table></div>`}
${pagination("/admin/packages", params, view.page, view.total, PACKAGES_PER_PAGE)}`;
}

function badges(row: PackageListRow) {
  return html`${row.isPublic ? html`<span class="badge info">public</span>` : ""}${row.abandoned !== null ? html` <span class="badge warn">abandoned</span>` : ""}${row.archived ? html` <span class="badge warn">archived</span>` : ""}${row.updateError ? html` <span class="badge bad">update failing</span>` : ""}`;
}
