// Adding packages: a VCS repository (read by the git worker) or an uploaded zip archive.
import { html } from "hono/html";
import { csrfField } from "./components/form.ts";
import { customPackageForms } from "./package-custom-forms.ts";

export function packageNewPage(view: { csrf: string; credentials: { id: number; name: string; kind: string }[] }) {
  return html`<h1>Add a package</h1>
<div class="grid">
<form class="card" method="post" action="/admin/packages/submit">${csrfField(view.csrf)}
<h2 style="margin-top:0">From a git repository</h2>
<p class="muted small">The git worker reads every tag and branch, like Composer's VCS repository.</p>
<label for="repository">Repository URL</label><input id="repository" name="repository" required placeholder="https://github.com/acme/lib.git or git@host:acme/lib.git">
<label for="credentials">Credentials</label><select id="credentials" name="credentials"><option value="">none (public repository)</option>
${view.credentials.map((cred) => html`<option value="${cred.id}">${cred.name} (${cred.kind})</option>`)}</select>
<p class="small"><a href="/admin/credentials">Add an SSH key or a provider token…</a></p>
<button type="submit">Submit repository</button></form>
<form class="card" method="post" action="/admin/packages/upload" enctype="multipart/form-data">${csrfField(view.csrf)}
<h2 style="margin-top:0">Upload an archive</h2>
<p class="muted small">A zip with composer.json at its root (or in one top-level folder). Releases only; versions are immutable.</p>
<label for="archive">Zip archive</label><input id="archive" name="archive" type="file" accept=".zip,application/zip" required>
<label for="version">Version</label><input id="version" name="version" required placeholder="1.0.0">
<label for="name">Package name (optional: read from composer.json)</label><input id="name" name="name" placeholder="acme/lib">
<button type="submit">Upload</button></form>
</div>
${customPackageForms(view.csrf)}`;
}
