// "Service accounts": non-person accounts (e.g. "CI deploy") with roles and API tokens, and no
// password. A new token is shown once.
import { html } from "hono/html";
import { ROLES, SCOPES } from "../src/auth/roles.ts";
import type { ServiceAccount } from "../src/identity/service-account-store.ts";
import { actionButton, copyBlock, csrfField } from "./components/form.ts";
import { day } from "./components/format.ts";

export interface ServiceAccountTokenRow {
  id: number;
  name: string;
  scopes: string[];
  lastUsedAt: string | null;
  expiresAt: string | null;
}

export interface ServiceAccountsView {
  csrf: string;
  accounts: (ServiceAccount & { tokens: ServiceAccountTokenRow[] })[];
  created?: { account: string; name: string; token: string };
}

const isoDay = (iso: string | null) => (iso ? day(Date.parse(iso)) : null);

export function serviceAccountsPage(view: ServiceAccountsView) {
  return html`<h1>Service accounts</h1>
<p class="muted">Accounts for machines, such as a CI job that uploads releases: they hold API tokens, never a password, and cannot sign in here. What they do is audited under their name.</p>
${view.created
  ? html`<div class="secret" role="status"><h2 style="margin-top:0">Token “${view.created.name}” for ${view.created.account} created</h2>
<p><strong>Copy it now: it is shown only once.</strong></p>${copyBlock("new-token", view.created.token, { wrap: true })}</div>`
  : ""}
${view.accounts.map((account) => accountCard(view.csrf, account))}
<form class="card" method="post" action="/admin/service-accounts">${csrfField(view.csrf)}
<h2 style="margin-top:0">New service account</h2>
<div class="row"><div><label for="sa-name">Name</label><input id="sa-name" name="username" required maxlength="64" placeholder="ci-deploy"></div>
<div><label for="sa-role">Role</label><select id="sa-role" name="role">${ROLES.map((role) => html`<option value="${role}"${role === "ROLE_MAINTAINER" ? " selected" : ""}>${role}</option>`)}</select></div></div>
<button type="submit">Create service account</button></form>`;
}

function accountCard(csrf: string, account: ServiceAccountsView["accounts"][number]) {
  return html`<section class="card" id="service-account-${account.id}"><h2 style="margin-top:0">${account.username} <span class="small muted">${account.roles.join(", ")}</span></h2>
${account.tokens.length === 0
  ? html`<p class="muted">No tokens.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th>Token</th><th>Rights</th><th>Last used</th><th>Expires</th><th></th></tr></thead><tbody>
${account.tokens.map(
      (token) => html`<tr><td>${token.name}</td><td>${token.scopes.length ? token.scopes.join(", ") : html`<span class="muted">all of the account's</span>`}</td>
<td>${isoDay(token.lastUsedAt) ?? html`<span class="muted">never</span>`}</td><td>${isoDay(token.expiresAt) ?? html`<span class="muted">never</span>`}</td>
<td>${actionButton(`/admin/service-accounts/${account.id}/tokens/${token.id}/revoke`, csrf, "Revoke", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}
<form method="post" action="/admin/service-accounts/${account.id}/tokens">${csrfField(csrf)}
<div class="row"><div><label for="token-name-${account.id}">New token</label><input id="token-name-${account.id}" name="name" required maxlength="100" placeholder="e.g. GitHub Actions"></div>
<div><label for="token-expiry-${account.id}">Expires (optional)</label><input id="token-expiry-${account.id}" name="expiresAt" type="date"></div></div>
<fieldset style="border:0;padding:0;margin:.6rem 0 0"><legend class="small muted">Rights (none ticked: all of the account's)</legend>
${SCOPES.map((scope) => html`<label class="check"><input type="checkbox" name="scopes" value="${scope}"> ${scope}</label>`)}</fieldset>
<button type="submit">Create token</button></form>
<div style="margin-top:.6rem">${actionButton(`/admin/service-accounts/${account.id}/delete`, csrf, "Delete account and its tokens", { danger: true, small: true })}</div></section>`;
}
