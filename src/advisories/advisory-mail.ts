// Admins hear of a new advisory by mail once it affects a published version of one of their
// private packages: at once when it is recorded, or in the scheduled pass after such a version
// is published. One mail per advisory (to each admin with an email address), never twice: the
// advisory's notification is claimed in its row before the mail is queued.
import { satisfies } from "../composer-rules/constraints.ts";
import { notifyAdmins } from "../mail/admin-notifications.ts";
import { findPackageByName, versionRows } from "../packages/package-store.ts";
import type { Database } from "../ports.ts";
import { claimAdvisoryNotification, unnotifiedAdvisories, type AdvisoryRow } from "./advisory-store.ts";

/** The number of advisories admins were mailed about. */
export async function mailNewAdvisories(deps: { db: Database; now(): number }): Promise<number> {
  let mailed = 0;
  for (const advisory of await unnotifiedAdvisories(deps.db)) {
    const affected = await affectedVersions(deps.db, advisory);
    if (affected.length === 0 || !(await claimAdvisoryNotification(deps, advisory.id))) continue;
    await notifyAdmins(deps, `Satchel: security advisory for ${advisory.packageName}${advisory.severity ? ` (${advisory.severity})` : ""}`, mailText(advisory, affected));
    mailed++;
  }
  return mailed;
}

async function affectedVersions(db: Database, advisory: AdvisoryRow): Promise<string[]> {
  const pkg = await findPackageByName(db, advisory.packageName);
  if (!pkg) return [];
  const matches = (normalized: string) => {
    try {
      return satisfies(normalized, advisory.affectedVersions);
    } catch {
      return false;
    }
  };
  return (await versionRows(db, pkg.id)).filter((row) => !row.isDev && matches(row.versionNormalized)).map((row) => row.version);
}

function mailText(advisory: AdvisoryRow, affected: string[]): string {
  return [
    `${advisory.advisoryId}: ${advisory.title}`,
    "",
    `Package: ${advisory.packageName}`,
    `Affected versions (${advisory.affectedVersions}), published here: ${affected.slice(0, 50).join(", ")}${affected.length > 50 ? ", ..." : ""}`,
    ...(advisory.severity ? [`Severity: ${advisory.severity}`] : []),
    ...(advisory.cve ? [`CVE: ${advisory.cve}`] : []),
    ...(advisory.link ? [`Details: ${advisory.link}`] : []),
    "",
    "`composer audit` reports it to everyone who installs these versions.",
    "",
  ].join("\n");
}
