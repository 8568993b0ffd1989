// The forms that define a custom package (versions as JSON) and a virtual one (a metapackage
// requiring other packages), on the "Add a package" page.
import { html } from "hono/html";
import { csrfField } from "./components/form.ts";

export function customPackageForms(csrf: string) {
  return html`<div class="grid">
<form class="card" method="post" action="/admin/packages/custom">${csrfField(csrf)}
<h2 style="margin-top:0">Custom package (JSON)</h2>
<p class="muted small">Versions defined by JSON, each checked as Composer checks a composer.json. A dist is <code>{"type": "zip", "url", "shasum"}</code> (Satchel fetches it once and serves it itself) or <code>{"type": "zip", "reference"}</code> of an archive uploaded with <code>POST /api/packages/custom/{vendor}/{name}/archives</code>.</p>
<label for="custom-name">Package name</label><input id="custom-name" name="name" required placeholder="acme/theme">
<label for="custom-versions">Versions (a JSON list)</label>
<textarea id="custom-versions" name="versions" rows="8" required placeholder='[{"version": "1.0.0", "type": "wordpress-theme", "dist": {"type": "zip", "url": "https://downloads.example.com/theme-1.0.0.zip", "shasum": "…"}}]'></textarea>
<button type="submit">Create custom package</button></form>
<form class="card" method="post" action="/admin/packages/virtual">${csrfField(csrf)}
<h2 style="margin-top:0">Virtual package</h2>
<p class="muted small">A metapackage: installing it installs what it requires. No archive.</p>
<label for="virtual-name">Package name</label><input id="virtual-name" name="name" required placeholder="acme/bundle">
<label for="virtual-version">Version</label><input id="virtual-version" name="version" required placeholder="1.0.0">
<label for="virtual-description">Description</label><input id="virtual-description" name="description">
<label for="virtual-require">Requires (one <code>vendor/package constraint</code> a line)</label>
<textarea id="virtual-require" name="require" rows="4" required placeholder="acme/lib ^1.0&#10;acme/theme ^2.0"></textarea>
<button type="submit">Create virtual package</button></form>
</div>`;
}
