// Integrations: connected organizations, the connect form (a token, or for GitHub an App),
// and one organization's repositories with their state and a form to add many at once.
// Secrets are write-only: none is ever rendered.
import { html } from "hono/html";
import { actionButton, csrfField } from "./components/form.ts";
import { day } from "./components/format.ts";
import type { integrationView, repositoryView } from "../src/integrations/integration-view.ts";

type IntegrationItem = ReturnType<typeof integrationView>;
type RepositoryItem = ReturnType<typeof repositoryView>;

const PROVIDERS: [string, string][] = [
  ["github", "GitHub / GitHub Enterprise"],
  ["gitlab", "GitLab (gitlab.com or self-managed)"],
  ["gitea", "Gitea / Forgejo"],
  ["bitbucket", "Bitbucket Cloud"],
];

export function integrationsPage(view: { csrf: string; rows: IntegrationItem[]; error?: string }) {
  return html`<h1>Integrations</h1>
${view.error ? html`<div class="flash error" role="alert">${view.error}</div>` : ""}
${view.rows.length === 0
  ? html`<div class="card"><p>No organization is connected. Connect one to list its repositories and add them as packages in one step.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Organization</th><th>Provider</th><th>Webhook</th><th>Sync</th><th>Added</th><th></th></tr></thead><tbody>
${view.rows.map(
      (row) => html`<tr><td><a href="/admin/integrations/${row.id}">${row.organization}</a></td><td class="when">${row.provider}${row.app ? " (App)" : ""}</td>
<td class="when">${row.webhook ? "organization hook" : "none (scheduled sync)"}</td><td class="when">${row.sync.state}${row.sync.error ? html` — ${row.sync.error}` : ""}</td>
<td class="when">${day(Date.parse(row.createdAt))}</td><td>${actionButton(`/admin/integrations/${row.id}/delete`, view.csrf, "Remove", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}
<form class="card" method="post" action="/admin/integrations" style="margin-top:1rem">${csrfField(view.csrf)}
<h2 style="margin-top:0">Connect an organization</h2>
<label for="provider">Provider</label><select id="provider" name="provider">${PROVIDERS.map(([value, label]) => html`<option value="${value}">${label}</option>`)}</select>
<label for="apiUrl">API root (empty for github.com, gitlab.com, bitbucket.org; e.g. https://ghe.example.com/api/v3, https://gitea.example.com/api/v1)</label><input id="apiUrl" name="apiUrl">
<label for="organization">Organization, group or workspace</label><input id="organization" name="organization" required>
<label for="token">Token (needs repository read, and organization hook rights for the webhook)</label><input id="token" name="token" type="password" autocomplete="off">
<fieldset><legend>Or, for GitHub, a GitHub App installation</legend>
<label for="appId">App id</label><input id="appId" name="appId" inputmode="numeric">
<label for="installationId">Installation id</label><input id="installationId" name="installationId" inputmode="numeric">
<label for="privateKey">Private key (PEM)</label><textarea id="privateKey" name="privateKey" rows="3" autocomplete="off"></textarea></fieldset>
<label><input type="checkbox" name="webhooks" value="1" checked> Install an organization webhook</label>
<label><input type="checkbox" name="autoSync" value="1"> Add new repositories with a composer.json automatically; mark archived or deleted ones abandoned</label>
<button type="submit">Connect</button></form>`;
}

export function integrationPage(view: { csrf: string; row: IntegrationItem; repositories: RepositoryItem[] }) {
  const { row } = view;
  const addable = view.repositories.filter((repo) => repo.state === "not added");
  return html`<h1>${row.organization} <span class="muted small">${row.provider}</span></h1>
<div class="card"><p>Sync: <strong>${row.sync.state}</strong>${row.sync.syncedAt ? html`, last complete ${row.sync.syncedAt}` : ""}${row.sync.resumeAt ? html`, resumes at ${row.sync.resumeAt}` : ""}${row.sync.error ? html` — ${row.sync.error}` : ""}</p>
${actionButton(`/admin/integrations/${row.id}/sync`, view.csrf, row.sync.state === "idle" || row.sync.state === "failed" ? "Sync now" : "Continue sync")}</div>
<form method="post" action="/admin/integrations/${row.id}/repositories">${csrfField(view.csrf)}
<div class="table-wrap"><table><thead><tr><th></th><th>Repository</th><th>Default branch</th><th>State</th></tr></thead><tbody>
${view.repositories.map(
    (repo) => html`<tr><td>${repo.state === "not added" ? html`<input type="checkbox" name="repositories" value="${repo.id}" aria-label="Add ${repo.name}">` : ""}</td>
<td>${repo.name}</td><td class="when">${repo.defaultBranch}</td><td class="when">${repo.state}</td></tr>`,
  )}</tbody></table></div>
${addable.length ? html`<button type="submit">Add the selected repositories</button>` : html`<p class="muted">Nothing to add${view.repositories.length ? "" : ": sync first"}.</p>`}</form>`;
}
