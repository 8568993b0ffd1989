// "Tokens": every user's own API tokens: create (shown once, with a copy button), list with
// last use, revoke.
import { html } from "hono/html";
import { actionButton, copyBlock, csrfField } from "./components/form.ts";
import { dateTime, day } from "./components/format.ts";
import { composerSetup, type ComposerSetup } from "./customer-page.ts";

export interface TokenRow {
  id: number;
  name: string;
  scopes: string[];
  createdAt: number;
  lastUsedAt: number | null;
  expiresAt: number | null;
}

export function tokensPage(view: { csrf: string; tokens: TokenRow[]; created?: { name: string; token: string }; setup: ComposerSetup; scopes: readonly string[] }) {
  return html`<h1>API tokens</h1>
${view.created
  ? html`<div class="secret" role="status"><h2 style="margin-top:0">Token “${view.created.name}” created</h2>
<p><strong>Copy it now: it is shown only once.</strong></p>${copyBlock("new-token", view.created.token, { wrap: true })}
${composerSetup({ ...view.setup, token: view.created.token }, "created")}</div>`
  : ""}
<div class="card"><h2 style="margin-top:0">New token</h2>
<form method="post" action="/account/tokens">${csrfField(view.csrf)}
<div class="row"><div><label for="name">Name</label><input id="name" name="name" required maxlength="100" placeholder="e.g. CI for shop-frontend"></div>
<div><label for="expiresAt">Expires (optional)</label><input id="expiresAt" name="expiresAt" type="date"></div></div>
<fieldset style="border:0;padding:0;margin:.6rem 0 0"><legend class="small muted">Rights (none ticked: all of yours)</legend>
${view.scopes.map((scope) => html`<label class="check"><input type="checkbox" name="scopes" value="${scope}"> ${scope}</label>`)}</fieldset>
<p class="small muted">A token made here keeps working after you sign out, until it expires or you revoke it. Revoking a token also revokes every token it created.</p>
<button type="submit">Create token</button></form></div>
<h2>Your tokens</h2>
${view.tokens.length === 0
  ? html`<p class="muted">No API tokens yet.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th>Rights</th><th>Created</th><th>Last used</th><th>Expires</th><th></th></tr></thead><tbody>
${view.tokens.map(
      (token) => html`<tr><td>${token.name}</td><td>${token.scopes.length ? token.scopes.join(", ") : html`<span class="muted">all</span>`}</td>
<td>${day(token.createdAt)}</td><td>${token.lastUsedAt ? dateTime(token.lastUsedAt) : html`<span class="muted">never</span>`}</td><td>${token.expiresAt ? day(token.expiresAt) : html`<span class="muted">never</span>`}</td>
<td>${actionButton(`/account/tokens/${token.id}/revoke`, view.csrf, "Revoke", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}`;
}
