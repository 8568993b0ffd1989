import { html } from "hono/html";
import { page } from "./layout.ts";

export interface HomeView {
  username: string;
  base: string;
  packages: { name: string; description: string | null }[];
}

/** What every signed-in user sees first: their packages and how to point Composer at Satchel. */
export function homePage(view: HomeView) {
  const host = new URL(view.base).host;
  return page(
    "Packages",
    html`<h1>Packages</h1>
${view.packages.length === 0
  ? html`<p class="muted">No packages yet.</p>`
  : html`<table><thead><tr><th>Name</th><th>Description</th></tr></thead><tbody>
${view.packages.map((pkg) => html`<tr><td>${pkg.name}</td><td>${pkg.description ?? ""}</td></tr>`)}
</tbody></table>`}
<h2>Use it with Composer</h2>
<pre>composer config repositories.satchel composer ${view.base}
composer config --global http-basic.${host} ${view.username} &lt;your API token&gt;</pre>
<p class="muted">Create API tokens with <code>POST /api/tokens</code>; a token works as the http-basic password.</p>`,
    { signedInAs: view.username },
  );
}
