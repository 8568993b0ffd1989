// Groups: grants (package or vendor wildcard, with version constraints) per group shown as a
// matrix, each group's license expiry, and the edit form.
import { html } from "hono/html";
import { actionButton, csrfField } from "./components/form.ts";
import { day } from "./components/format.ts";

export interface GroupView {
  id: number;
  name: string;
  expiredUpdatesAt: number | null;
  hideSources: boolean;
  hideDevVersions: boolean;
  minimumStability: string | null;
  grants: { pattern: string; constraint: string | null }[];
  members: { id: number; username: string }[];
}

export function groupsPage(view: { csrf: string; groups: GroupView[]; now: number }) {
  const patterns = [...new Set(view.groups.flatMap((group) => group.grants.map((grant) => grant.pattern)))].sort();
  return html`<h1>Groups</h1>
<p class="muted">What each group may install: a package or a whole vendor (<code>acme/*</code>), optionally limited by a version constraint; after the license end date, newer releases are hidden.</p>
${view.groups.length === 0
  ? html`<div class="card"><p>No groups yet.</p></div>`
  : html`<div class="table-wrap"><table class="matrix"><thead>
<tr><th>Package</th>${view.groups.map((group) => html`<th><a href="/admin/groups/${group.id}">${group.name}</a></th>`)}</tr>
<tr><td class="small muted">License end</td>${view.groups.map((group) => html`<td class="small">${group.expiredUpdatesAt === null ? html`<span class="muted">none</span>` : html`<span class="badge ${group.expiredUpdatesAt <= view.now ? "warn" : ""}">${day(group.expiredUpdatesAt)}</span>`}</td>`)}</tr>
<tr><td class="small muted">Restrictions</td>${view.groups.map((group) => html`<td class="small">${restrictions(group) || html`<span class="muted">none</span>`}</td>`)}</tr>
<tr><td class="small muted">Members</td>${view.groups.map((group) => html`<td class="small">${group.members.length}</td>`)}</tr>
</thead><tbody>
${patterns.map(
      (pattern) => html`<tr><td><code>${pattern}</code></td>${view.groups.map((group) => {
        const grant = group.grants.find((g) => g.pattern === pattern);
        if (!grant) return html`<td class="muted" aria-label="no access">·</td>`;
        return html`<td>${grant.constraint ? html`<code>${grant.constraint}</code>` : html`<span class="badge ok">all</span>`}</td>`;
      })}</tr>`,
    )}</tbody></table></div>`}
<h2>New group</h2>${groupForm(view.csrf, null)}`;
}

export function groupEditPage(view: { csrf: string; group: GroupView }) {
  return html`<h1>${view.group.name}</h1>${groupForm(view.csrf, view.group)}
<h2>Members</h2>${view.group.members.length === 0
    ? html`<p class="muted">Nobody yet: add users to this group on their page.</p>`
    : html`<p>${view.group.members.map((member, i) => html`${i ? ", " : ""}<a href="/admin/users/${member.id}">${member.username}</a>`)}</p>`}
<h2>Delete</h2><div class="card">${actionButton(`/admin/groups/${view.group.id}/delete`, view.csrf, `Delete ${view.group.name}`, { danger: true })}</div>`;
}

function groupForm(csrf: string, group: GroupView | null) {
  const grants = group ? group.grants.map((grant) => (grant.constraint ? `${grant.pattern} ${grant.constraint}` : grant.pattern)).join("\n") : "";
  return html`<form class="card" method="post" action="${group ? `/admin/groups/${group.id}` : "/admin/groups"}">${csrfField(csrf)}
<div class="row"><div><label for="name">Name</label><input id="name" name="name" required value="${group?.name ?? ""}"></div>
<div><label for="expiredUpdatesAt">License end (optional)</label><input id="expiredUpdatesAt" name="expiredUpdatesAt" type="date" value="${day(group?.expiredUpdatesAt)}"></div></div>
<label for="grants">Grants: one per line, a package or <code>vendor/*</code>, then an optional version constraint</label>
<textarea id="grants" name="grants" rows="5" placeholder="acme/lib <2.0&#10;tools/*">${grants}</textarea>
<fieldset><legend>Restrictions (admins and maintainers always see everything; a member of several groups gets the widest grant)</legend>
<label class="check"><input type="checkbox" name="hideSources" value="1"${group?.hideSources ? " checked" : ""}> Hide sources: dist only, so <code>--prefer-source</code> cannot reach the repository</label>
<label class="check"><input type="checkbox" name="hideDevVersions" value="1"${group?.hideDevVersions ? " checked" : ""}> Hide dev versions (branches)</label>
<label for="minimumStability">Minimum stability</label><select id="minimumStability" name="minimumStability">${STABILITIES.map(
    (stability) => html`<option value="${stability}"${(group?.minimumStability ?? "dev") === stability ? " selected" : ""}>${stability === "dev" ? "dev (everything)" : stability}</option>`,
  )}</select></fieldset>
<button type="submit">${group ? "Save" : "Create group"}</button></form>`;
}

const STABILITIES = ["stable", "RC", "beta", "alpha", "dev"];

function restrictions(group: GroupView): string {
  return [group.hideSources ? "no sources" : "", group.hideDevVersions ? "no branches" : "", group.minimumStability ? `${group.minimumStability}+` : ""].filter(Boolean).join(", ");
}
