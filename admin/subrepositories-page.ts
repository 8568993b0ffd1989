// "Sub-repositories": each with its Composer URL, its package list (names not present yet are
// marked), public or not, and its own hostname; create, edit and delete.
import { html } from "hono/html";
import type { SubrepositoryView } from "../src/subrepositories/subrepository-view.ts";
import { actionButton, copyBlock, csrfField } from "./components/form.ts";

export interface SubrepositoriesView {
  csrf: string;
  subrepositories: SubrepositoryView[];
}

export function subrepositoriesPage(view: SubrepositoriesView) {
  return html`<h1>Sub-repositories</h1>
<p class="muted">A sub-repository has its own Composer URL serving only the packages listed here, each customer further limited by their own grants. A public one needs no credentials. Upstream (proxied) packages are never served inside one.</p>
${view.subrepositories.length === 0 ? html`<div class="card"><p class="muted">No sub-repositories yet.</p></div>` : ""}
${view.subrepositories.map((sub) => subrepositoryCard(view.csrf, sub))}
<form class="card" method="post" action="/admin/subrepositories">${csrfField(view.csrf)}
<h2 style="margin-top:0">New sub-repository</h2>
${fields("new", null)}
<button type="submit">Create sub-repository</button></form>`;
}

function subrepositoryCard(csrf: string, sub: SubrepositoryView) {
  return html`<section class="card" id="subrepository-${sub.id}"><h2 style="margin-top:0">${sub.name} <span class="badge${sub.public ? " ok" : ""}">${sub.public ? "public" : "private"}</span></h2>
${copyBlock(`sub-url-${sub.id}`, `composer config repositories.${sub.slug} composer ${sub.url}`)}
${sub.hostUrl ? html`<p class="small">Also at its own host: <code>${sub.hostUrl}</code></p>` : ""}
<p>${sub.packages.length === 0 ? html`<span class="muted">No packages listed.</span>` : sub.packages.map((pattern) => html`<code>${pattern}</code>${sub.notYetPresent.includes(pattern) ? html` <span class="badge warn">not yet present</span>` : ""} `)}</p>
<details><summary>Edit</summary><form method="post" action="/admin/subrepositories/${sub.id}">${csrfField(csrf)}
${fields(String(sub.id), sub)}
<button type="submit">Save</button></form></details>
<div style="margin-top:.6rem">${actionButton(`/admin/subrepositories/${sub.id}/delete`, csrf, "Delete sub-repository", { danger: true, small: true })}</div></section>`;
}

function fields(id: string, sub: SubrepositoryView | null) {
  return html`<div class="row"><div><label for="sub-name-${id}">Name</label><input id="sub-name-${id}" name="name" required maxlength="100" value="${sub?.name ?? ""}" placeholder="Customer A"></div>
<div><label for="sub-slug-${id}">Slug (the URL /sub/{slug})</label><input id="sub-slug-${id}" name="slug" required maxlength="63" value="${sub?.slug ?? ""}" placeholder="customer-a"></div>
<div><label for="sub-host-${id}">Own hostname (optional)</label><input id="sub-host-${id}" name="hostname" maxlength="253" value="${sub?.hostname ?? ""}" placeholder="packages.customer-a.com"></div></div>
<label for="sub-packages-${id}">Packages, one per line (<code>acme/lib</code> or <code>tools/*</code>)</label>
<textarea id="sub-packages-${id}" name="packages" rows="4">${sub?.packages.join("\n") ?? ""}</textarea>
<label class="check"><input type="checkbox" name="public" value="1"${sub?.public ? html` checked` : ""}> Public: served without credentials</label>`;
}
