// A hook's delivery log: each event sent, its status, and every attempt with the receiver's
// answer (status, excerpt, duration) or the network error; the request as it was sent.
import { html } from "hono/html";
import type { DeliveryView } from "../src/webhooks/outgoing/hook-store.ts";
import { dateTimeIso } from "./components/format.ts";
import { actionButton } from "./components/form.ts";
import { deliveryStatus } from "./webhooks-page.ts";

export function deliveriesPage(view: { csrf: string; id: number; name: string; deliveries: DeliveryView[] }) {
  return html`<div class="toolbar"><h1>Deliveries of <a href="/admin/webhooks/${view.id}">${view.name}</a></h1>${actionButton(`/admin/webhooks/${view.id}/test`, view.csrf, "Send test")}</div>
${view.deliveries.length === 0
  ? html`<div class="card"><p class="muted">Nothing sent yet.</p></div>`
  : html`<div class="table-wrap"><table><thead><tr><th>Queued</th><th>Event</th><th>Status</th><th>Attempts</th><th>Outcome</th></tr></thead><tbody>
${view.deliveries.map(
      (delivery) => html`<tr><td class="when">${dateTimeIso(delivery.createdAt)}<div class="small muted"><code>${delivery.id.slice(0, 8)}</code></div></td>
<td><code>${delivery.event}</code></td><td>${deliveryStatus(delivery.status)}</td>
<td>${delivery.attempts}${delivery.nextAttemptAt ? html`<div class="small muted">next ${dateTimeIso(delivery.nextAttemptAt)}</div>` : ""}</td>
<td>${delivery.lastStatus !== null ? html`<div class="small">HTTP ${delivery.lastStatus}</div>` : ""}${delivery.lastError ? html`<div class="error small">${delivery.lastError}</div>` : ""}
<details><summary class="small">Request and attempts</summary>
<pre class="wrap small">${delivery.request.method} ${delivery.request.url}
${Object.entries(delivery.request.headers).map(([name, value]) => `${name}: ${value}`).join("\n")}

${delivery.request.body}</pre>
<ul class="small">${delivery.attemptLog.map(
        (entry) => html`<li>#${entry.attempt} ${dateTimeIso(entry.at)}: ${entry.status !== null ? `HTTP ${entry.status}` : "no answer"} in ${entry.durationMs} ms${entry.error ? html` · <span class="error">${entry.error}</span>` : ""}${entry.response ? html`<pre class="wrap">${entry.response}</pre>` : ""}</li>`,
      )}</ul></details></td></tr>`,
    )}</tbody></table></div>`}`;
}
