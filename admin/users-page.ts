// Users: the list, the new-user form and the edit form (roles, groups, expiry, disable).
import { html } from "hono/html";
import { ROLES } from "../src/auth/roles.ts";
import { actionButton, csrfField } from "./components/form.ts";
import { dateTime, day } from "./components/format.ts";

export interface UserListRow {
  id: number;
  username: string;
  email: string | null;
  roles: string[];
  groupIds: number[];
  expiresAt: number | null;
  expiredUpdatesAt: number | null;
  disabled: boolean;
  twoFactor: boolean;
}

type GroupChoice = { id: number; name: string };

const ROLE_LABELS: Record<string, string> = {
  ROLE_ADMIN: "Admin: everything",
  ROLE_MAINTAINER: "Maintainer: packages",
  ROLE_FULL_CUSTOMER: "Full customer: installs every package",
  ROLE_USER: "Customer: installs what their groups grant",
};

export function usersPage(view: { csrf: string; users: UserListRow[]; groups: GroupChoice[]; now: number }) {
  const groupName = new Map(view.groups.map((group) => [group.id, group.name]));
  return html`<h1>Users</h1>
<div class="table-wrap"><table><thead><tr><th>User</th><th>Roles</th><th>Groups</th><th>Account expires</th><th>Updates until</th><th>Status</th></tr></thead><tbody>
${view.users.map(
    (user) => html`<tr><td><a href="/admin/users/${user.id}">${user.username}</a>${user.email ? html`<div class="small muted">${user.email}</div>` : ""}</td>
<td class="small">${user.roles.map((role) => role.replace("ROLE_", "").toLowerCase().replace("_", " ")).join(", ")}</td>
<td class="small">${user.groupIds.map((id) => groupName.get(id) ?? `#${id}`).join(", ")}</td>
<td>${day(user.expiresAt)}</td><td>${day(user.expiredUpdatesAt)}</td>
<td>${user.disabled ? html`<span class="badge bad">disabled</span>` : user.expiresAt !== null && user.expiresAt <= view.now ? html`<span class="badge warn">expired</span>` : html`<span class="badge ok">active</span>`}${user.twoFactor ? html` <span class="badge info">2FA</span>` : ""}</td></tr>`,
  )}</tbody></table></div>
<h2>New user</h2>
<form class="card" method="post" action="/admin/users">${csrfField(view.csrf)}
<div class="row"><div><label for="username">Username</label><input id="username" name="username" required></div>
<div><label for="email">Email</label><input id="email" name="email" type="email"></div>
<div><label for="password">Password (8+)</label><input id="password" name="password" type="password" minlength="8" required autocomplete="new-password"></div></div>
${userFields({ roles: ["ROLE_USER"], groupIds: [], expiresAt: null, expiredUpdatesAt: null, disabled: false }, view.groups, false)}
<button type="submit">Create user</button></form>`;
}

export function userEditPage(view: { csrf: string; user: UserListRow; groups: GroupChoice[]; tokens: { id: number; name: string; lastUsedAt: number | null; expiresAt: number | null }[]; isSelf: boolean }) {
  const { user } = view;
  return html`<h1>${user.username}</h1>
<form class="card" method="post" action="/admin/users/${user.id}">${csrfField(view.csrf)}
<div class="row"><div><label for="email">Email</label><input id="email" name="email" type="email" value="${user.email ?? ""}"></div>
<div><label for="password">New password (leave empty to keep)</label><input id="password" name="password" type="password" minlength="8" autocomplete="new-password"></div></div>
${userFields(user, view.groups, true)}
<button type="submit">Save</button></form>
<h2>Tokens</h2>
${view.tokens.length === 0
  ? html`<p class="muted">No active tokens.</p>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th>Last used</th><th>Expires</th><th></th></tr></thead><tbody>${view.tokens.map(
      (token) => html`<tr><td>${token.name}</td><td>${token.lastUsedAt ? dateTime(token.lastUsedAt) : html`<span class="muted">never</span>`}</td><td>${day(token.expiresAt)}</td>
<td>${actionButton(`/admin/users/${user.id}/tokens/${token.id}/revoke`, view.csrf, "Revoke", { danger: true, small: true })}</td></tr>`,
    )}</tbody></table></div>`}
${view.isSelf ? "" : html`<h2>Delete</h2><div class="card"><p>Deleting removes the account and its tokens.</p>${actionButton(`/admin/users/${user.id}/delete`, view.csrf, `Delete ${user.username}`, { danger: true })}</div>`}`;
}

function userFields(user: Pick<UserListRow, "roles" | "groupIds" | "expiresAt" | "expiredUpdatesAt" | "disabled">, groups: GroupChoice[], editing: boolean) {
  return html`<div class="row" style="align-items:start"><fieldset style="border:0;padding:0"><legend><strong>Roles</strong></legend>
${ROLES.map((role) => html`<label class="check"><input type="checkbox" name="roles" value="${role}"${user.roles.includes(role) ? " checked" : ""}> ${ROLE_LABELS[role]}</label>`)}</fieldset>
<fieldset style="border:0;padding:0"><legend><strong>Groups</strong></legend>
${groups.length === 0 ? html`<p class="small muted">No groups yet.</p>` : groups.map((group) => html`<label class="check"><input type="checkbox" name="groups" value="${group.id}"${user.groupIds.includes(group.id) ? " checked" : ""}> ${group.name}</label>`)}</fieldset></div>
<div class="row"><div><label for="expiresAt">Account expires</label><input id="expiresAt" name="expiresAt" type="date" value="${day(user.expiresAt)}"></div>
<div><label for="expiredUpdatesAt">Updates until (license end)</label><input id="expiredUpdatesAt" name="expiredUpdatesAt" type="date" value="${day(user.expiredUpdatesAt)}"></div></div>
${editing ? html`<label class="check"><input type="checkbox" name="disabled" value="1"${user.disabled ? " checked" : ""}> Disabled: cannot sign in, tokens stop working</label>` : ""}`;
}
