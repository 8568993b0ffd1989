// Credentials: SSH keys (generated here or pasted) and provider tokens. Secrets are write-only:
// only the public key or the non-secret part is ever shown.
import { html } from "hono/html";
import { actionButton, copyBlock, csrfField } from "./components/form.ts";
import { day } from "./components/format.ts";

export interface CredentialRow {
  id: number;
  name: string;
  kind: string;
  publicInfo: string | null;
  createdAt: number;
  usedBy: number;
}

const KIND_LABELS: Record<string, string> = { "ssh-key": "SSH key", "github-token": "GitHub token", "gitlab-token": "GitLab token", "gitea-token": "Gitea/Forgejo token", "bitbucket-token": "Bitbucket access token", "http-basic": "HTTP basic" };

export function credentialsPage(view: { csrf: string; rows: CredentialRow[]; generated?: { name: string; publicKey: string } }) {
  return html`<h1>Credentials</h1>
${view.generated
  ? html`<div class="secret" role="status"><h2 style="margin-top:0">SSH key “${view.generated.name}” generated</h2>
<p>Add this public key as a read-only deploy key at your git provider. The private key is stored encrypted and never shown.</p>${copyBlock("public-key", view.generated.publicKey)}</div>`
  : ""}
${view.rows.length === 0
  ? html`<div class="card"><p>No credentials yet. Public repositories need none.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th>Kind</th><th>Public part</th><th>Used by</th><th>Added</th><th></th></tr></thead><tbody>
${view.rows.map(
      (row) => html`<tr><td>${row.name}</td><td class="when">${KIND_LABELS[row.kind] ?? row.kind}</td>
<td class="small">${row.publicInfo ? (row.kind === "ssh-key" ? copyBlock(`key-${row.id}`, row.publicInfo, { wrap: true }) : html`<code>${row.publicInfo}</code>`) : html`<span class="muted">—</span>`}</td>
<td class="when">${row.usedBy} packages</td><td class="when">${day(row.createdAt)}</td>
<td>${actionButton(`/admin/credentials/${row.id}/delete`, view.csrf, "Delete", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}
<div class="grid" style="margin-top:1rem">
<form class="card" method="post" action="/admin/credentials/generate">${csrfField(view.csrf)}
<h2 style="margin-top:0">Generate an SSH key</h2><p class="small muted">An ed25519 key pair made on the server; you get the public key to paste at your provider.</p>
<label for="gen-name">Name</label><input id="gen-name" name="name" required placeholder="deploy key for acme">
<button type="submit">Generate key pair</button></form>
<form class="card" method="post" action="/admin/credentials">${csrfField(view.csrf)}
<h2 style="margin-top:0">Add a token or key</h2>
<label for="name">Name</label><input id="name" name="name" required>
<label for="kind">Kind</label><select id="kind" name="kind">${Object.entries(KIND_LABELS).map(([kind, label]) => html`<option value="${kind}">${label}</option>`)}</select>
<label for="publicInfo">Username, host or public key (not secret, optional)</label><input id="publicInfo" name="publicInfo">
<label for="secret">Secret (token, password or private key)</label><textarea id="secret" name="secret" required autocomplete="off" rows="3"></textarea>
<button type="submit">Save</button></form></div>`;
}
