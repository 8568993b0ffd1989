// One package: its versions (stable and dev) with requirements, source, dist and release time,
// downloads, recent jobs, the default branch's README, and its settings (credentials, abandoned,
// public, updates disabled), update and delete.
import { html } from "hono/html";
import type { HtmlEscapedString } from "hono/utils/html";
import type { VersionEntry } from "../src/composer-rules/version-entry.ts";
import { redactUrl } from "../src/http/redact.ts";
import type { PackageRow } from "../src/packages/package-store.ts";
import { decodeVcsRepository } from "../src/packages/vcs-repository.ts";
import { barChart, type ChartPoint, meterBar } from "./components/bar-chart.ts";
import { actionButton, csrfField } from "./components/form.ts";
import { count, dateTime, dateTimeIso, safeHref } from "./components/format.ts";
import { renderReadme } from "./components/markdown.ts";
import { jobsTable } from "./jobs-page.ts";
import type { JobListRow } from "../src/jobs/job-store.ts";

export interface PackageDetailView {
  csrf: string;
  row: PackageRow;
  stable: VersionEntry[];
  dev: VersionEntry[];
  credentials: { id: number; name: string; kind: string }[];
  downloads: ChartPoint[];
  topVersions: { version: string; total: number }[];
  jobs: JobListRow[];
  /** The packages of its mono-repository, by directory (empty for any other package). */
  monorepo: { name: string; directory: string }[];
  /** Archived, metadata patches, a custom package's definitions (package-state-page.ts). */
  state: HtmlEscapedString | Promise<HtmlEscapedString>;
}

export function packageDetailPage(view: PackageDetailView) {
  const { row } = view;
  const base = `/admin/packages/${row.name}`;
  const total = view.downloads.reduce((sum, point) => sum + point.value, 0);
  return html`<div class="toolbar"><h1><code>${row.name}</code></h1>
<div>${row.kind === "vcs" ? actionButton(`${base}/update`, view.csrf, "Update now") : ""}</div></div>
${row.description ? html`<p>${row.description}</p>` : ""}
${row.updateError ? html`<div class="flash error"><strong>The last update failed:</strong> ${row.updateError}</div>` : ""}
<div class="card"><dl class="facts">
<dt>Source</dt><dd>${row.kind === "vcs" ? sourceOf(view) : row.kind === "custom" ? "defined by JSON (custom package)" : "uploaded archives"}</dd>
${row.archived ? html`<dt>Archived</dt><dd><span class="badge warn">archived</span> hidden from Composer</dd>` : ""}
<dt>Visibility</dt><dd>${row.isPublic ? html`<span class="badge info">public</span> every user may install it` : "customers with a grant"}</dd>
${row.abandoned !== null ? html`<dt>Abandoned</dt><dd><span class="badge warn">abandoned</span> ${row.abandoned ? html`use <code>${row.abandoned}</code> instead` : ""}</dd>` : ""}
<dt>Versions</dt><dd>${count(view.stable.length)} releases, ${count(view.dev.length)} dev</dd>
${row.kind === "vcs" ? html`<dt>Last read</dt><dd>${row.crawledAt ? dateTime(row.crawledAt) : html`<span class="muted">not yet</span>`}</dd>` : ""}
${row.updatesDisabled ? html`<dt>Updates</dt><dd><span class="badge warn">disabled</span> hooks and re-crawls queue nothing; "Update now" still works</dd>` : ""}
<dt>Install</dt><dd><code>composer require ${row.name}</code></dd>
</dl></div>
<h2>Downloads, last 30 days (${count(total)})</h2><div class="card">${barChart(view.downloads, { title: `Downloads of ${row.name} per day` })}
${view.topVersions.length ? versionTable(view.topVersions) : ""}</div>
${view.state}
${row.readme ? html`<h2>Readme</h2><div class="card readme">${renderReadme(row.readme)}</div>` : ""}
<h2>Releases</h2>${versionsTable(view.stable, base)}
<h2>Development versions</h2>${versionsTable(view.dev, base)}
${row.kind === "artifact" ? uploadForm(view.csrf, row.name) : ""}
<h2>Recent jobs</h2>${jobsTable(view.jobs)}
${settingsForm(view)}
<h2>Delete</h2><div class="card"><p>Deleting removes every version and archive; customers' installs of it fail.</p>
<a class="button secondary" href="${base}/delete">Delete ${row.name}…</a></div>`;
}

function versionsTable(entries: VersionEntry[], base: string) {
  if (entries.length === 0) return html`<p class="muted">None.</p>`;
  return html`<div class="table-wrap"><table><thead><tr><th>Version</th><th>Released</th><th>Requires</th><th class="hide-narrow">Source / dist</th></tr></thead><tbody>
${entries.map(
    (entry) => html`<tr><td><strong>${entry.version}</strong></td><td>${dateTimeIso(entry.time)}</td>
<td>${links(entry.require)}<a class="small" href="${base}/versions/${encodeURIComponent(entry.version)}/patch">patch</a></td>
<td class="hide-narrow small">${entry.source ? html`<div>${entry.source.type} <code>${redactUrl(entry.source.url)}</code> ${shortRef(entry.source.reference)}</div>` : ""}
${entry.dist ? html`<div>${entry.dist.type} ${safeHref(entry.dist.url) ? html`<a href="${safeHref(entry.dist.url)}" rel="nofollow">archive</a>` : ""} ${shortRef(entry.dist.reference)}</div>` : ""}
${homepage(entry)}</td></tr>`,
  )}</tbody></table></div>`;
}

function links(map: Record<string, string> | undefined) {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return html`<span class="muted">nothing</span>`;
  return html`<ul style="margin:0;padding-left:1rem" class="small">${entries.map(([name, constraint]) => html`<li><code>${name}</code> ${constraint}</li>`)}</ul>`;
}

function shortRef(reference: string | undefined) {
  return reference ? html`<code title="${reference}">${reference.slice(0, 10)}</code>` : "";
}

function homepage(entry: VersionEntry) {
  const href = safeHref(entry.homepage);
  return href ? html`<div><a href="${href}" rel="nofollow noopener">homepage</a></div>` : "";
}

function uploadForm(csrf: string, name: string) {
  return html`<h2>Upload a release</h2><form class="card" method="post" action="/admin/packages/upload" enctype="multipart/form-data">${csrfField(csrf)}
<input type="hidden" name="name" value="${name}">
<div class="row"><div><label for="version">Version</label><input id="version" name="version" required placeholder="1.2.0"></div>
<div><label for="archive">Zip archive</label><input id="archive" name="archive" type="file" accept=".zip,application/zip" required></div>
<button type="submit">Upload</button></div></form>`;
}

/** The repository and its kind; for a mono-repository, its directory and its other packages. */
function sourceOf(view: PackageDetailView) {
  const repository = decodeVcsRepository(view.row.repository ?? "");
  const url = html`${repository.type ?? "git"}: <code>${redactUrl(repository.url)}</code>`;
  if (repository.subdir === undefined) return url;
  return html`${url}, a mono-repository: directory <code>${repository.subdir}</code>
<ul class="small">${view.monorepo.map((pkg) => html`<li><code>${pkg.directory}</code> <a href="/admin/packages/${pkg.name}">${pkg.name}</a></li>`)}</ul>`;
}

function settingsForm(view: PackageDetailView) {
  const { row } = view;
  return html`<h2>Settings</h2><form class="card" method="post" action="/admin/packages/${row.name}/settings">${csrfField(view.csrf)}
${row.kind === "vcs"
  ? html`<label for="repository">Repository URL</label><input id="repository" name="repository" value="${redactUrl(decodeVcsRepository(row.repository ?? "").url)}" required>
<label for="credentials">Credentials for reading it</label><select id="credentials" name="credentials"><option value="">none (public repository)</option>
${view.credentials.map((cred) => html`<option value="${cred.id}"${cred.id === row.credentialsId ? " selected" : ""}>${cred.name} (${cred.kind})</option>`)}</select>`
  : ""}
<label class="check"><input type="checkbox" name="public" value="1"${row.isPublic ? " checked" : ""}> Public: every signed-in user and token may install it</label>
<label class="check"><input type="checkbox" name="abandoned" value="1"${row.abandoned !== null ? " checked" : ""}> Abandoned</label>
${row.kind === "vcs" ? html`<label class="check"><input type="checkbox" name="updatesDisabled" value="1"${row.updatesDisabled ? " checked" : ""}> Disable updates: hooks, update-package calls and the scheduled re-crawl leave it alone</label>` : ""}
<label for="replacement">Replacement package (optional)</label><input id="replacement" name="replacement" value="${row.abandoned ?? ""}" placeholder="vendor/new-name">
<button type="submit">Save settings</button></form>`;
}

export function deleteConfirmPage(csrf: string, name: string) {
  return html`<div class="card narrow"><h1>Delete ${name}?</h1>
<p>Every version and archive of <code>${name}</code> is removed. This cannot be undone.</p>
<form method="post" action="/admin/packages/${name}/delete">${csrfField(csrf)}
<label for="confirm">Type the package name to confirm</label><input id="confirm" name="confirm" required autocomplete="off">
<button type="submit" class="danger">Delete for good</button> <a href="/admin/packages/${name}">Cancel</a></form></div>`;
}

/** Downloads by version over the same 30 days, as a ranked bar table. */
function versionTable(versions: { version: string; total: number }[]) {
  const best = Math.max(1, ...versions.map((v) => v.total));
  return html`<div class="table-wrap"><table><thead><tr><th>Version</th><th class="num">Downloads</th><th style="width:50%"></th></tr></thead><tbody>
${versions.map((v) => html`<tr><td><code>${v.version}</code></td><td class="num">${count(v.total)}</td><td>${meterBar(v.total, best)}</td></tr>`)}
</tbody></table></div>`;
}
