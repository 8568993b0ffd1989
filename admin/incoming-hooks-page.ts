// Incoming hooks: the URL, secret header and events to give each git provider, and the stored
// secrets (shown once, at creation).
import { html } from "hono/html";
import type { HookSecretView } from "../src/webhooks/incoming/hook-secret-store.ts";
import { actionButton, csrfField } from "./components/form.ts";
import { dateTimeIso } from "./components/format.ts";
import { secretNotice } from "./webhooks-page.ts";

const PROVIDERS: { id: string; label: string; path: string; secret: string; events: string }[] = [
  { id: "github", label: "GitHub", path: "/api/github", secret: "Secret (checked as X-Hub-Signature-256); content type application/json", events: "push (create and delete too, optional)" },
  { id: "gitlab", label: "GitLab", path: "/api/gitlab", secret: "Secret token (sent as X-Gitlab-Token)", events: "Push events, Tag push events" },
  { id: "gitea", label: "Gitea / Forgejo", path: "/api/gitea", secret: "Secret (checked as X-Gitea-Signature / X-Forgejo-Signature)", events: "Push (create and delete too, optional)" },
  { id: "bitbucket", label: "Bitbucket Cloud and Server", path: "/api/bitbucket", secret: "Secret (checked as X-Hub-Signature)", events: "Repository push (Cloud), Repository refs changed (Server)" },
];

export function incomingHooksPage(view: { csrf: string; base: string; secrets: HookSecretView[]; created?: string }) {
  return html`<h1>Incoming hooks</h1>
<p class="muted">A git provider calls Satchel when tags or branches are pushed; the package is updated within seconds. Give the provider the URL and a secret from below (a secret for one package, or for every package of a provider). Packagist-style hooks can use <code>${view.base}/api/update-package?token=&lt;username&gt;:&lt;API token&gt;</code> instead.</p>
${view.created ? secretNotice(view.created) : ""}
<div class="table-wrap"><table><thead><tr><th>Provider</th><th>Payload URL</th><th>Secret</th><th>Events</th></tr></thead><tbody>
${PROVIDERS.map((provider) => html`<tr><td>${provider.label}</td><td><code>${view.base}${provider.path}</code></td><td class="small">${provider.secret}</td><td class="small">${provider.events}</td></tr>`)}
</tbody></table></div>
<h2>Secrets</h2>
${view.secrets.length === 0
  ? html`<div class="card"><p class="muted">No secrets yet: hooks are refused until the provider signs them with one.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th>Package</th><th>Provider</th><th>Added</th><th></th></tr></thead><tbody>
${view.secrets.map(
      (secret) => html`<tr><td>${secret.name}</td><td>${secret.package ? html`<a href="/admin/packages/${secret.package}">${secret.package}</a>` : html`<span class="muted">every package</span>`}</td>
<td>${secret.provider ?? html`<span class="muted">any</span>`}</td><td class="when">${dateTimeIso(secret.createdAt)}</td>
<td>${actionButton(`/admin/webhooks/incoming/${secret.id}/delete`, view.csrf, "Delete", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}
<form class="card" method="post" action="/admin/webhooks/incoming">${csrfField(view.csrf)}
<h2 style="margin-top:0">New secret</h2>
<div class="row"><div><label for="secret-name">Name</label><input id="secret-name" name="name" placeholder="GitHub organization hook"></div>
<div><label for="provider">Provider</label><select id="provider" name="provider"><option value="">any</option>${PROVIDERS.map((provider) => html`<option value="${provider.id}">${provider.label}</option>`)}</select></div>
<div><label for="package">Package (empty: every package)</label><input id="package" name="package" placeholder="acme/lib"></div></div>
<button type="submit">Create secret</button></form>`;
}
