// The review comment's Markdown, within the provider's size limit. The most important changes
// come first (advisories, downgrades, major upgrades, other upgrades, added, removed) and rows
// are added while they fit; what does not fit is counted in a closing line, so a lock file of
// thousands of packages still gets one valid comment with its counts.
import type { AffectedPackage } from "../security/affected-packages.ts";
import type { ProviderKind } from "../repository-access.ts";
import type { LockDiff, VersionChange } from "./lock-diff.ts";

/** Found again on later pushes to update the same comment. */
export const REVIEW_MARKER = "<!-- satchel:composer-lock-review -->";

/**
 * Characters a comment may hold: GitHub 65,536 ("Body is too long (maximum is 65536 characters)"),
 * GitLab notes 1,000,000 (its notes API), Bitbucket 32,768 ("less than 32768 characters"); Gitea
 * documents none, so the GitHub figure is kept there.
 */
export const COMMENT_LIMITS: Record<ProviderKind, number> = { github: 65_536, gitlab: 1_000_000, gitea: 65_536, bitbucket: 32_767 };

export interface ReviewContent {
  diff: LockDiff;
  advisories: AffectedPackage[];
  /** Compare view per package name, for private packages Satchel hosts. */
  compareLinks: Map<string, string>;
}

export function renderReview(content: ReviewContent, limit: number): string {
  const { diff, advisories } = content;
  const upgrades = [...diff.upgraded].sort((a, b) => Number(b.major) - Number(a.major));
  const counts = [
    `${diff.added.length} added`,
    `${diff.removed.length} removed`,
    `${diff.upgraded.length} upgraded`,
    `${diff.downgraded.length} downgraded`,
    `${advisories.length} security advisor${advisories.length === 1 ? "y" : "ies"}`,
  ].join(", ");
  const head = `${REVIEW_MARKER}\n### composer.lock changes\n\n**${counts}**\n`;
  const sections: { title: string; header: string; rows: string[] }[] = [
    { title: "Security advisories affecting the new versions", header: "| Package | Version | Advisory |\n|---|---|---|", rows: advisories.map(advisoryRow) },
    { title: "Downgraded", header: "| Package | From | To |\n|---|---|---|", rows: diff.downgraded.map((change) => changeRow(change, content.compareLinks)) },
    { title: "Upgraded", header: "| Package | From | To |\n|---|---|---|", rows: upgrades.map((change) => changeRow(change, content.compareLinks)) },
    { title: "Added", header: "| Package | Version |\n|---|---|", rows: diff.added.map((entry) => `| ${code(entry.name)} | ${code(entry.version)} |`) },
    { title: "Removed", header: "| Package | Version |\n|---|---|", rows: diff.removed.map((entry) => `| ${code(entry.name)} | ${code(entry.version)} |`) },
  ];
  // Room for the closing line however many rows are left out.
  const budget = limit - 200;
  let body = head;
  let omitted = 0;
  for (const section of sections) {
    if (section.rows.length === 0) continue;
    const opening = `\n#### ${section.title}\n\n${section.header}\n`;
    if (body.length + opening.length >= budget) {
      omitted += section.rows.length;
      continue;
    }
    body += opening;
    for (const row of section.rows) {
      if (body.length + row.length + 1 < budget) body += `${row}\n`;
      else omitted++;
    }
  }
  if (omitted > 0) body += `\n_${omitted} more change${omitted === 1 ? "" : "s"} not listed: the comment is limited to ${limit} characters._\n`;
  return body;
}

/** For a comment whose pull request no longer changes composer.lock. */
export function renderUnchanged(): string {
  return `${REVIEW_MARKER}\n### composer.lock changes\n\nThis pull request no longer changes composer.lock.\n`;
}

function changeRow(change: VersionChange, links: Map<string, string>): string {
  const link = links.get(change.name);
  const to = `${code(versionLabel(change.to))}${change.major ? " (major)" : ""}`;
  return `| ${code(change.name)}${link ? ` ([compare](${link}))` : ""} | ${code(versionLabel(change.from))} | ${to} |`;
}

function advisoryRow(affected: AffectedPackage): string {
  const { advisory } = affected;
  const label = escapeCell(`${advisory.cve ?? advisory.advisoryId}: ${advisory.title}`.slice(0, 200)).replace(/[[\]]/g, "\\$&");
  const severity = advisory.severity ? ` (${escapeCell(advisory.severity)})` : "";
  return `| ${code(affected.name)} | ${code(affected.version)} | ${advisory.link && /^https?:\/\//.test(advisory.link) ? `[${label}](${advisory.link.replace(/[()\s]/g, (char) => `%${char.charCodeAt(0).toString(16).padStart(2, "0").toUpperCase()}`)})` : label}${severity} |`;
}

/** A branch's version shows its commit too, since the version alone did not change. */
function versionLabel(entry: { version: string; reference: string | null }): string {
  return entry.version.startsWith("dev-") || entry.version.endsWith("-dev") ? `${entry.version} ${entry.reference?.slice(0, 7) ?? ""}`.trim() : entry.version;
}

function code(text: string): string {
  return `\`${escapeCell(text.replace(/`/g, "'"))}\``;
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, "\\|").replace(/[\r\n]+/g, " ").replace(/</g, "&lt;");
}
