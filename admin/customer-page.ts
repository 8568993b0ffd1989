// The customer view: the packages they may install, up to which version or date, and the exact
// Composer configuration to copy.
import { html } from "hono/html";
import { copyBlock } from "./components/form.ts";
import { pagination } from "./components/pagination.ts";
import { CUSTOMER_PAGE_SIZE, type CustomerPackage } from "./customer-view.ts";
import type { UsableSubrepository } from "../src/subrepositories/usable-subrepositories.ts";

export interface ComposerSetup {
  base: string;
  username: string;
  /** A token just created (shown once), else a placeholder is printed. */
  token?: string;
}

export function composerSetup(setup: ComposerSetup, idPrefix = "setup") {
  const host = new URL(setup.base).host;
  const token = setup.token ?? "<your-api-token>";
  const insecure = setup.base.startsWith("http:") ? "\ncomposer config secure-http false" : "";
  const commands = `composer config repositories.satchel composer ${setup.base}${insecure}\ncomposer config http-basic.${host} ${setup.username} ${token}`;
  const authJson = JSON.stringify({ "http-basic": { [host]: { username: setup.username, password: token } } }, null, 4);
  const repository = JSON.stringify({ repositories: [{ type: "composer", url: setup.base }] }, null, 4);
  return html`<h3>In your project</h3>${copyBlock(`${idPrefix}-commands`, commands)}
<h3>Or: <code>auth.json</code> (next to composer.json, keep it out of git)</h3>${copyBlock(`${idPrefix}-auth`, authJson)}
<details><summary>The repository entry in composer.json</summary>${copyBlock(`${idPrefix}-repo`, repository)}</details>`;
}

export function customerPage(view: { setup: ComposerSetup; packages: CustomerPackage[]; total: number; page: number; path: string; subrepositories: UsableSubrepository[] }) {
  return html`<h1>My packages</h1>
<p class="muted">${view.total === 1 ? "1 package" : `${view.total} packages`} you can install with Composer.</p>
${view.total === 0
  ? html`<div class="card"><p>No packages are shared with your account yet. Ask your vendor to grant you access.</p></div>`
  : html`<div class="table-wrap"><table>
<thead><tr><th>Package</th><th>Newest for you</th><th>Your access</th><th class="hide-narrow">Description</th></tr></thead>
<tbody>${view.packages.map(
      (pkg) => html`<tr><td><code>${pkg.name}</code>${pkg.abandoned !== null ? html` <span class="badge warn">abandoned${pkg.abandoned ? html`, use ${pkg.abandoned}` : ""}</span>` : ""}</td>
<td>${pkg.newest ?? html`<span class="muted">none yet</span>`}</td>
<td>${pkg.limits.length ? pkg.limits.join("; ") : html`<span class="badge ok">all versions</span>`}</td>
<td class="hide-narrow">${pkg.description ?? ""}</td></tr>`,
    )}</tbody></table></div>
${pagination(view.path, {}, view.page, view.total, CUSTOMER_PAGE_SIZE)}`}
<h2>Use it with Composer</h2>
<div class="card">
<p>Create an <a href="/account/tokens">API token</a>, then run these in your project (the token is the password):</p>
${composerSetup(view.setup)}
</div>
${subrepositorySection(view.subrepositories)}`;
}

/** Sub-repositories this person can use: each its own Composer URL (a public one needs no credentials). */
function subrepositorySection(subrepositories: UsableSubrepository[]) {
  if (subrepositories.length === 0) return "";
  return html`<h2>Sub-repositories</h2>
<p class="muted">Each serves its own set of packages under its own URL; use it instead of (or beside) the repository above.</p>
${subrepositories.map(
    (sub) => html`<section class="card" id="subrepository-${sub.slug}"><h3 style="margin-top:0">${sub.name} <span class="badge${sub.isPublic ? " ok" : ""}">${sub.isPublic ? "public: no credentials needed" : "uses your token"}</span></h3>
<p>Composer URL: <code>${sub.url}</code>${sub.hostUrl ? html` (also <code>${sub.hostUrl}</code>)` : ""}</p>
${copyBlock(`sub-${sub.slug}`, `composer config repositories.${sub.slug} composer ${sub.url}`)}</section>`,
  )}`;
}
