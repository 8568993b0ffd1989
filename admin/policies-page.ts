// Policies: flagged versions (malware, compromised) with the form to flag one and a button to
// lift each flag, the Composer plugin allowlist, and the minimum Composer client version.
import { html } from "hono/html";
import { actionButton, csrfField } from "./components/form.ts";
import { day } from "./components/format.ts";
import type { VersionFlag } from "../src/policies/flag-store.ts";
import type { Policies } from "../src/policies/policy-store.ts";

export function policiesPage(view: { csrf: string; policies: Policies; flags: (VersionFlag & { packageName: string })[] }) {
  const { pluginAllowlist, minimumComposerVersion } = view.policies;
  return html`<h1>Policies</h1>
<h2>Flagged versions</h2>
<p class="muted">A flagged version is left out of the metadata for every client and its archive answers 410 Gone with the reason; Composer 2.10 also reads the flag from the <code>filter</code> metadata. Lifting a flag brings the version back.</p>
${view.flags.length === 0
  ? html`<div class="card"><p>No version is flagged.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Package</th><th>Version</th><th>Kind</th><th>Reason</th><th>By</th><th>When</th><th></th></tr></thead><tbody>
${view.flags.map(
      (flag) => html`<tr><td><a href="/admin/packages/${flag.packageName}">${flag.packageName}</a></td><td><code>${flag.versionNormalized}</code></td><td><span class="badge warn">${flag.kind}</span></td><td>${flag.reason}</td><td>${flag.flaggedBy}</td><td class="small">${day(flag.createdAt)}</td>
<td>${actionButton(`/admin/policies/flags/${flag.id}/lift`, view.csrf, "Lift", { small: true, hidden: { package: flag.packageName } })}</td></tr>`,
    )}</tbody></table></div>`}
<form class="card" method="post" action="/admin/policies/flags">${csrfField(view.csrf)}
<div class="row"><div><label for="package">Package</label><input id="package" name="package" required placeholder="acme/lib"></div>
<div><label for="version">Version</label><input id="version" name="version" required placeholder="1.2.0"></div>
<div><label for="kind">Kind</label><select id="kind" name="kind"><option value="malware">malware</option><option value="compromised">compromised</option></select></div></div>
<label for="reason">Reason (shown to Composer users)</label><input id="reason" name="reason" required maxlength="1000">
<button type="submit" class="danger">Flag this version</button></form>
<h2>Composer plugins and clients</h2>
<form class="card" method="post" action="/admin/policies">${csrfField(view.csrf)}
<label class="check"><input type="checkbox" name="pluginAllowlistEnabled" value="1"${pluginAllowlist.enabled ? " checked" : ""}> Allow only the Composer plugins listed below (<code>type: composer-plugin</code>; others are left out of the metadata and their archives answer 410)</label>
<label for="allowedPlugins">Allowed plugins: one package or <code>vendor/*</code> per line</label>
<textarea id="allowedPlugins" name="allowedPlugins" rows="4" placeholder="composer/installers&#10;acme/*">${pluginAllowlist.allowed.join("\n")}</textarea>
<label for="minimumComposerVersion">Minimum Composer version (optional: older clients are refused with a message to update)</label>
<input id="minimumComposerVersion" name="minimumComposerVersion" placeholder="2.7.0" value="${minimumComposerVersion ?? ""}">
<button type="submit">Save</button></form>`;
}
