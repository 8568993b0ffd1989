// Current security alerts per monitored repository: the locked package and version on its
// default branch, and the advisory that affects it (resolved alerts are not listed).
import { html } from "hono/html";
import { dateTime } from "./components/format.ts";
import type { SecurityAlertRow } from "../src/integrations/security/security-alert-store.ts";

export function securityAlertsPage(rows: SecurityAlertRow[]) {
  const byRepository = new Map<string, SecurityAlertRow[]>();
  for (const row of rows) byRepository.set(row.repositoryName, [...(byRepository.get(row.repositoryName) ?? []), row]);
  return html`<h1>Security alerts</h1>
<p class="muted">The default branch's composer.lock of packages flagged as applications, checked after each push and daily against the advisories <code>composer audit</code> gets.</p>
${byRepository.size === 0
  ? html`<p class="muted">No current alerts.</p>`
  : [...byRepository].map(
      ([repository, alerts]) => html`<h2>${repository}</h2><div class="table-wrap"><table><thead><tr><th>Package</th><th>Version</th><th>Advisory</th><th>Affected versions</th><th>Since</th></tr></thead><tbody>
${alerts.map(
  (alert) => html`<tr><td><code>${alert.lockedPackage}</code></td><td><code>${alert.version}</code></td>
<td>${alert.link && /^https?:\/\//.test(alert.link) ? html`<a href="${alert.link}" rel="noopener noreferrer">${alert.cve ?? alert.advisoryId}</a>` : (alert.cve ?? alert.advisoryId)} ${alert.title}${alert.severity ? html` <span class="badge warn">${alert.severity}</span>` : ""}</td>
<td><code>${alert.affectedVersions}</code></td><td class="when">${dateTime(alert.raisedAt)}</td></tr>`,
)}</tbody></table></div>`,
    )}`;
}
