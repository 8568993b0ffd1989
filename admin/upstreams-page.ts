// Upstreams: the repositories Satchel proxies (packagist.org by default), their cache state
// (documents, archives, size, hits, last sync), who may use the proxy, private names that an
// upstream also has (private wins), and per upstream its settings and approvals (strict mode).
import { html } from "hono/html";
import { actionButton, csrfField } from "./components/form.ts";
import { count, dateTime } from "./components/format.ts";

export interface UpstreamListRow {
  id: number;
  name: string;
  url: string;
  priority: number;
  username: string | null;
  hasPassword: boolean;
  hasBearer: boolean;
  cacheDists: boolean;
  strict: boolean;
  lastSyncAt: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  hits: number;
  misses: number;
  upstreamRequests: number;
  documents: number;
  missing: number;
  bytes: number;
  dists: number;
  distBytes: number;
}

export interface UpstreamsView {
  csrf: string;
  rows: UpstreamListRow[];
  policy: "everyone" | "groups";
  accessGroups: number[];
  groups: { id: number; name: string }[];
  clashes: { name: string; upstream: string }[];
}

export function upstreamsPage(view: UpstreamsView) {
  return html`<h1>Upstreams</h1>
<p class="muted">Public Composer repositories served through Satchel's own URL, mirrored on first use. Lower priority numbers are asked first; a private package always wins over an upstream one of the same name.</p>
${view.rows.length === 0
  ? html`<div class="card"><p>No upstreams: Satchel serves only private packages.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Upstream</th><th class="num">Priority</th><th>Mode</th><th class="num">Cached</th><th class="num">Hit ratio</th><th>Last sync</th></tr></thead><tbody>
${view.rows.map((row) => {
      const served = row.hits + row.misses;
      return html`<tr><td><a href="/admin/upstreams/${row.id}">${row.name}</a><div class="small muted"><code>${row.url}</code></div></td>
<td class="num">${row.priority}</td>
<td>${row.strict ? html`<span class="badge warn">strict</span>` : html`<span class="badge ok">open</span>`} ${row.cacheDists ? html`<span class="badge info">archives cached</span>` : ""}</td>
<td class="num">${count(row.documents)} documents, ${size(row.bytes)}<div class="small muted">${count(row.dists)} archives, ${size(row.distBytes)} · ${count(row.missing)} known missing</div></td>
<td class="num">${served ? `${Math.round((100 * row.hits) / served)} %` : "—"}<div class="small muted">${count(row.upstreamRequests)} upstream requests for ${count(served)} served</div></td>
<td class="when">${row.lastSyncAt ? dateTime(row.lastSyncAt) : html`<span class="muted">never</span>`}${row.lastError ? html`<div class="small error">${row.lastError}</div>` : ""}</td></tr>`;
    })}</tbody></table></div>`}
${view.clashes.length
  ? html`<div class="card"><h2 style="margin-top:0">Name clashes</h2><p class="small muted">These private packages also exist upstream. Satchel serves the private one; the upstream's is never mixed in.</p>
<ul>${view.clashes.map((clash) => html`<li><code>${clash.name}</code> <span class="muted">also on ${clash.upstream}</span></li>`)}</ul></div>`
  : ""}
<div class="grid" style="margin-top:1rem">
<form class="card" method="post" action="/admin/upstreams">${csrfField(view.csrf)}
<h2 style="margin-top:0">Add an upstream</h2>
${upstreamFields(null)}
<button type="submit">Add upstream</button></form>
<div class="card"><form method="post" action="/admin/upstreams/access">${csrfField(view.csrf)}
<h2 style="margin-top:0">Who may use the proxy</h2>
<label class="check"><input type="radio" name="policy" value="everyone"${view.policy === "everyone" ? " checked" : ""}> Everyone with an account</label>
<label class="check"><input type="radio" name="policy" value="groups"${view.policy === "groups" ? " checked" : ""}> Admins, maintainers and members of these groups:</label>
${view.groups.length === 0 ? html`<p class="small muted">No groups yet.</p>` : view.groups.map((group) => html`<label class="check" style="margin-left:1.5rem"><input type="checkbox" name="groups" value="${group.id}"${view.accessGroups.includes(group.id) ? " checked" : ""}> ${group.name}</label>`)}
<p class="small muted">Others see only their private packages.</p>
<button type="submit">Save access</button></form>
${actionButton("/admin/upstreams/clashes/check", view.csrf, "Check private names against upstreams", { small: true })}</div>
</div>`;
}

export function upstreamEditPage(view: { csrf: string; row: UpstreamListRow; approvals: { pattern: string; createdAt: string }[] }) {
  const { row } = view;
  return html`<h1>${row.name}</h1>
<form class="card" method="post" action="/admin/upstreams/${row.id}">${csrfField(view.csrf)}
${upstreamFields(row)}
<button type="submit">Save</button></form>
<h2>Approved packages</h2>
<p class="muted">${row.strict ? "Strict mode: only these names (or vendors) are served from this upstream; others get a 404 saying approval is needed." : "This upstream is open: every name is served. Approvals take effect when strict mode is on."}</p>
${view.approvals.length === 0
  ? html`<p class="muted">Nothing approved yet.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th>Pattern</th><th>Approved</th><th></th></tr></thead><tbody>${view.approvals.map(
      (approval) => html`<tr><td><code>${approval.pattern}</code></td><td class="when">${approval.createdAt.slice(0, 16).replace("T", " ")}</td>
<td>${actionButton(`/admin/upstreams/${row.id}/approved/delete`, view.csrf, "Remove", { danger: true, small: true, hidden: { pattern: approval.pattern } })}</td></tr>`,
    )}</tbody></table></div>`}
<form class="card" method="post" action="/admin/upstreams/${row.id}/approved" style="margin-top:1rem">${csrfField(view.csrf)}
<div class="row"><div><label for="pattern">Approve a package or a vendor</label><input id="pattern" name="pattern" required placeholder="symfony/console or symfony/*"></div><button type="submit">Approve</button></div></form>
<h2>Delete</h2><div class="card"><p class="small muted">Removes the upstream and everything mirrored from it.</p>${actionButton(`/admin/upstreams/${row.id}/delete`, view.csrf, `Delete ${row.name}`, { danger: true })}</div>`;
}

function upstreamFields(row: UpstreamListRow | null) {
  return html`<div class="row"><div><label for="name">Name</label><input id="name" name="name" required value="${row?.name ?? ""}" placeholder="packagist.org"></div>
<div><label for="priority">Priority (lower first)</label><input id="priority" name="priority" type="number" value="${String(row?.priority ?? 0)}"></div></div>
<label for="url">Repository URL</label><input id="url" name="url" required value="${row?.url ?? ""}" placeholder="https://repo.packagist.org">
<div class="row"><div><label for="username">HTTP user (optional)</label><input id="username" name="username" value="${row?.username ?? ""}" autocomplete="off"></div>
<div><label for="password">Password${row?.hasPassword ? " (stored; leave empty to keep)" : ""}</label><input id="password" name="password" type="password" autocomplete="new-password"></div>
<div><label for="bearer">Bearer token${row?.hasBearer ? " (stored; leave empty to keep)" : ""}</label><input id="bearer" name="bearer" type="password" autocomplete="new-password"></div></div>
<label class="check"><input type="checkbox" name="cacheDists" value="1"${row === null || row.cacheDists ? " checked" : ""}> Store archives (later downloads come from Satchel)</label>
<label class="check"><input type="checkbox" name="strict" value="1"${row?.strict ? " checked" : ""}> Strict: only approved packages</label>`;
}

function size(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}
