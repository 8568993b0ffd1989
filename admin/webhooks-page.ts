// Outgoing webhooks: the list (with each hook's last delivery), the edit form, the secret shown
// once, and the hosts an admin allows although they are private.
import { html } from "hono/html";
import { EVENT_NAMES } from "../src/webhooks/outgoing/events.ts";
import { CONTENT_TYPES, HOOK_METHODS, type HookSettings } from "../src/webhooks/outgoing/hook-input.ts";
import { actionButton, copyBlock, csrfField } from "./components/form.ts";
import { dateTime } from "./components/format.ts";

export interface HookListRow {
  id: number;
  name: string;
  url: string;
  events: string[];
  packageFilter: string | null;
  active: boolean;
  lastStatus: string | null;
  lastAt: number | null;
}

const EXAMPLE_TEMPLATE = '{"text": "{{package.name}} {{#versions}}{{version}}{{^@last}}, {{/@last}}{{/versions}} released"}';

export function webhooksPage(view: { csrf: string; hooks: HookListRow[]; allowedHosts: string[]; envHosts: string[] }) {
  return html`<div class="toolbar"><h1>Webhooks</h1><a class="button" href="/admin/webhooks/new">New webhook</a></div>
<p class="muted">Satchel calls these URLs when releases appear, change or go, when an update fails, and when packages are added or deleted. Each request is signed (<code>X-Satchel-Signature</code>) and retried for hours when the receiver fails. Git providers that call Satchel are set up under <a href="/admin/webhooks/incoming">incoming hooks</a>.</p>
${view.hooks.length === 0
  ? html`<div class="card"><p>No webhooks yet.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Name</th><th>URL</th><th>Events</th><th>Packages</th><th>Last delivery</th></tr></thead><tbody>
${view.hooks.map(
      (hook) => html`<tr><td><a href="/admin/webhooks/${hook.id}">${hook.name}</a>${hook.active ? "" : html` <span class="badge">paused</span>`}</td>
<td class="small"><code>${hook.url}</code></td><td class="small">${hook.events.join(", ")}</td><td class="small">${hook.packageFilter ?? html`<span class="muted">all</span>`}</td>
<td>${hook.lastStatus ? html`${deliveryStatus(hook.lastStatus)} <a class="small" href="/admin/webhooks/${hook.id}/deliveries">${dateTime(hook.lastAt)}</a>` : html`<span class="muted">none</span>`}</td></tr>`,
    )}</tbody></table></div>`}
<h2>Allowed private hosts</h2>
<p class="muted small">Webhooks may only reach public addresses. Hosts listed here may be private or loopback (an internal chat server, a build system on the LAN).</p>
<div class="card">${view.allowedHosts.length || view.envHosts.length
    ? html`<ul>${view.envHosts.map((host) => html`<li><code>${host}</code> <span class="muted small">(SATCHEL_WEBHOOK_ALLOW_HOSTS)</span></li>`)}${view.allowedHosts.map(
        (host) => html`<li><code>${host}</code> ${actionButton("/admin/webhooks/allowed-hosts/delete", view.csrf, "Remove", { small: true, danger: true, hidden: { host } })}</li>`,
      )}</ul>`
    : html`<p class="muted">None.</p>`}
<form method="post" action="/admin/webhooks/allowed-hosts">${csrfField(view.csrf)}<div class="row"><div><label for="host">Host (optionally with a port)</label><input id="host" name="host" required placeholder="chat.internal or 10.0.0.5:8080"></div></div><button type="submit">Allow host</button></form></div>`;
}

export function webhookFormPage(view: { csrf: string; id: number | null; settings: HookSettings | null }) {
  const s = view.settings;
  const headers = s ? Object.entries(s.headers).map(([name, value]) => `${name}: ${value}`).join("\n") : "";
  const events = new Set(s?.events ?? ["new_release"]);
  return html`<form class="card" method="post" action="${view.id === null ? "/admin/webhooks" : `/admin/webhooks/${view.id}`}">${csrfField(view.csrf)}
<div class="row"><div><label for="name">Name (letters, digits, . _ -)</label><input id="name" name="name" required pattern="[A-Za-z0-9._\\-]{1,100}" value="${s?.name ?? ""}"></div>
<div><label for="method">Method</label><select id="method" name="method">${HOOK_METHODS.map((method) => html`<option${method === (s?.method ?? "POST") ? html` selected` : ""}>${method}</option>`)}</select></div></div>
<label for="url">URL</label><input id="url" name="url" type="url" required placeholder="https://hooks.slack.com/services/…" value="${s?.url ?? ""}">
<fieldset><legend>Events</legend>${EVENT_NAMES.map(
    (event) => html`<label class="check"><input type="checkbox" name="events" value="${event}"${events.has(event) ? html` checked` : ""}> <code>${event}</code></label>`,
  )}</fieldset>
<div class="row"><div><label for="packageFilter">Packages: globs (<code>acme/*, tools/cli</code>) or <code>/regex/</code>; empty for all</label><input id="packageFilter" name="packageFilter" value="${s?.packageFilter ?? ""}"></div>
<div><label for="versionConstraint">Versions: a Composer constraint (<code>^2.0</code>); empty for all</label><input id="versionConstraint" name="versionConstraint" value="${s?.versionConstraint ?? ""}"></div></div>
<label for="headers">Headers, one <code>Name: value</code> per line</label><textarea id="headers" name="headers" rows="2" placeholder="Authorization: Bearer …">${headers}</textarea>
<div class="row"><div><label for="contentType">Content type</label><select id="contentType" name="contentType">${CONTENT_TYPES.map((type) => html`<option${type === (s?.contentType ?? "application/json") ? html` selected` : ""}>${type}</option>`)}</select></div>
<div><label class="check"><input type="checkbox" name="active" value="1"${s?.active === false ? "" : html` checked`}> Active</label></div></div>
<label for="template">Payload template (empty: the event as JSON). <code>{{package.name}}</code>, <code>{{#versions}}{{version}}{{/versions}}</code>, <code>{{json versions}}</code>, <code>{{user.username}}</code></label>
<textarea id="template" name="template" rows="5" placeholder="${EXAMPLE_TEMPLATE}">${s?.template ?? ""}</textarea>
<button type="submit">${view.id === null ? "Create webhook" : "Save"}</button></form>`;
}

export function webhookEditPage(view: { csrf: string; id: number; settings: HookSettings; secret?: string }) {
  return html`<div class="toolbar"><h1>${view.settings.name}</h1><nav class="pager"><a class="button secondary" style="margin:0" href="/admin/webhooks/${view.id}/deliveries">Delivery log</a>
${actionButton(`/admin/webhooks/${view.id}/test`, view.csrf, "Send test")}</nav></div>
${view.secret ? secretNotice(view.secret) : ""}
${webhookFormPage({ csrf: view.csrf, id: view.id, settings: view.settings })}
<h2>Secret</h2><div class="card"><p class="small muted">Receivers check <code>X-Satchel-Signature: sha256=HMAC-SHA256(secret, body)</code>, and <code>X-Satchel-Signature-Timestamped</code> over <code>&lt;X-Satchel-Timestamp&gt;.&lt;body&gt;</code> to refuse replays.</p>
${actionButton(`/admin/webhooks/${view.id}/rotate`, view.csrf, "Make a new secret")}</div>
<h2>Delete</h2><div class="card">${actionButton(`/admin/webhooks/${view.id}/delete`, view.csrf, `Delete ${view.settings.name}`, { danger: true })}</div>`;
}

export function secretNotice(secret: string) {
  return html`<div class="secret" role="status"><h2 style="margin-top:0">The secret</h2><p>Copy it now: it is stored encrypted and not shown again.</p>${copyBlock("hook-secret", secret)}</div>`;
}

export function deliveryStatus(status: string) {
  const kind = { succeeded: "ok", failed: "bad", pending: "warn", sending: "info" }[status] ?? "";
  return html`<span class="badge ${kind}">${status === "pending" ? "retrying" : status}</span>`;
}
