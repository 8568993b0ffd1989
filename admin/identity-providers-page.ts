// "Sign-in providers": OpenID Connect providers (any, found by discovery: Google, GitLab and
// self-managed GitLab, Gitea/Forgejo, Keycloak, Entra ID, ...). Client secrets are write-only.
import { html } from "hono/html";
import { ROLES } from "../src/auth/roles.ts";
import type { IdentityProvider } from "../src/identity/identity-provider-store.ts";
import { actionButton, csrfField } from "./components/form.ts";

export function identityProvidersPage(view: { csrf: string; providers: IdentityProvider[]; callbackBase: string }) {
  return html`<h1>Sign-in providers</h1>
${view.providers.length === 0
  ? html`<div class="card"><p>No providers yet: people sign in with passwords.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th>Issuer</th><th>Redirect URI to register</th><th>Sign-up</th><th>Restriction</th><th>Role mapping</th><th></th></tr></thead><tbody>
${view.providers.map(
      (provider) => html`<tr><td>${provider.name}<br><code class="small">${provider.slug}</code></td><td class="small"><code>${provider.issuer}</code></td>
<td class="small"><code>${view.callbackBase}/login/oidc/${provider.slug}/callback</code></td><td>${provider.allowSignUp ? "allowed" : "off"}</td>
<td class="small">${[...provider.allowedDomains.map((domain) => `@${domain}`), ...provider.requiredGroups.map((group) => `group ${group}`)].join(", ") || (provider.loginExpression ? "" : html`<span class="muted">none</span>`)}${provider.loginExpression ? html`<br><code>${provider.loginExpression}</code>` : ""}</td>
<td class="small">${provider.roleMappings.map((mapping) => `${mapping.group} → ${mapping.role}`).join(", ") || provider.defaultRole}</td>
<td>${actionButton(`/admin/identity-providers/${provider.id}/delete`, view.csrf, "Delete", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}
<form class="card" method="post" action="/admin/identity-providers" style="margin-top:1rem">${csrfField(view.csrf)}
<h2 style="margin-top:0">Add a provider</h2>
<div class="row"><div><label for="idp-name">Name (on the sign-in button)</label><input id="idp-name" name="name" required maxlength="100" placeholder="Acme Google"></div>
<div><label for="idp-slug">Slug (in its URLs)</label><input id="idp-slug" name="slug" required maxlength="40" pattern="[a-z0-9][a-z0-9-]*" placeholder="google"></div></div>
<label for="idp-issuer">Issuer (its discovery document is {issuer}/.well-known/openid-configuration)</label><input id="idp-issuer" name="issuer" required placeholder="https://accounts.google.com">
<div class="row"><div><label for="idp-client">Client ID</label><input id="idp-client" name="clientId" required></div>
<div><label for="idp-secret">Client secret (not shown again)</label><input id="idp-secret" name="clientSecret" type="password" required autocomplete="off"></div></div>
<label for="idp-scopes">Scopes</label><input id="idp-scopes" name="scopes" value="openid email profile">
<label class="check"><input type="checkbox" name="allowSignUp" value="1"> A first sign-in by a new identity creates a user</label>
<div class="row"><div><label for="idp-domains">Allowed email domains (comma-separated, optional)</label><input id="idp-domains" name="allowedDomains" placeholder="acme.com"></div>
<div><label for="idp-groups">Required groups (comma-separated, optional)</label><input id="idp-groups" name="requiredGroups"></div></div>
<label for="idp-expression">Sign-in rule over the claims (optional), e.g. <code>"acme-devs" in groups and lower(email) ends with "@acme.com"</code></label><input id="idp-expression" name="loginExpression" maxlength="2000">
<div class="row"><div><label for="idp-mappings">Group → role (one per line: <code>acme-devs=ROLE_MAINTAINER</code>)</label><textarea id="idp-mappings" name="roleMappings" rows="2"></textarea></div>
<div><label for="idp-role">Role otherwise</label><select id="idp-role" name="defaultRole">${ROLES.map((role) => html`<option value="${role}"${role === "ROLE_USER" ? " selected" : ""}>${role}</option>`)}</select></div></div>
<button type="submit">Add provider</button></form>`;
}
