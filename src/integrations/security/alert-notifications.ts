// Newly opened alerts of one check: one `security_alert` event through the outgoing-hook outbox
// (signed, retried) and one mail to the admins. Queuing is a DB insert; the outbox and the mail
// outbox send after the response or on the next scheduled pass.
import { notifyAdmins } from "../../mail/admin-notifications.ts";
import { drainMail } from "../../mail/mail-outbox-store.ts";
import { redactUrl } from "../../http/redact.ts";
import type { PackageRow } from "../../packages/package-store.ts";
import type { Services } from "../../services.ts";
import { emitEvent, makeEvent, type SecurityAlertPayload } from "../../webhooks/outgoing/events.ts";
import type { SecurityAlertRow } from "./security-alert-store.ts";

/** One alert as the security_alert event and GET /api/security-alerts show it. */
export function alertView(row: SecurityAlertRow): SecurityAlertPayload {
  return {
    package: row.lockedPackage,
    version: row.version,
    advisoryId: row.advisoryId,
    title: row.title,
    cve: row.cve,
    link: row.link,
    severity: row.severity,
    affectedVersions: row.affectedVersions,
  };
}

export async function announceAlerts(services: Services, repositoryName: string, pkg: Pick<PackageRow, "name" | "repository"> | null, opened: SecurityAlertRow[]): Promise<void> {
  if (opened.length === 0) return;
  const alerts: SecurityAlertPayload[] = opened.map(alertView);
  const event = makeEvent(services, "security_alert", {
    package: pkg ? { name: pkg.name, repository: pkg.repository && redactUrl(pkg.repository) } : null,
    repository: repositoryName,
    alerts,
  });
  await emitEvent(services, event);
  const lines = alerts.map((alert) => `- ${alert.package} ${alert.version}: ${alert.cve ?? alert.advisoryId} ${alert.title}${alert.link ? ` (${alert.link})` : ""}`);
  const subject = `Satchel: ${alerts.length} new security alert${alerts.length === 1 ? "" : "s"} in ${repositoryName}`;
  const queued = await notifyAdmins(services, subject, `The default branch's composer.lock of ${repositoryName} has versions that advisories affect:\n\n${lines.join("\n").slice(0, 10_000)}\n`);
  if (queued > 0) await drainMail(services);
}
