// Validation of advisories recorded by admins, and the shape Composer reads
// (composer/composer src/Composer/Advisory/SecurityAdvisory.php: advisoryId, packageName,
// affectedVersions, title, sources, reportedAt, cve, link; severity as packagist adds it).
import { parseConstraints } from "../composer-rules/constraints.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { badRequest } from "../http/errors.ts";
import { optionalDate, optionalString, requiredString, type JsonObject } from "../http/json-body.ts";
import type { AdvisoryRow } from "./advisory-store.ts";


export interface ComposerAdvisory {
  advisoryId: string;
  packageName: string;
  affectedVersions: string;
  title: string;
  sources: { name: string; remoteId: string }[];
  reportedAt: string;
  cve: string | null;
  link: string | null;
  severity: string | null;
}

export const SEVERITIES = ["low", "medium", "high", "critical"] as const;

export function readAdvisoryInput(body: JsonObject, now: number) {
  const packageName = requiredString(body, "packageName", 255).toLowerCase();
  if (!isValidPackageName(packageName)) throw badRequest('"packageName" must be a package name such as acme/lib.', "invalid_package_name");
  const affectedVersions = requiredString(body, "affectedVersions", 1000);
  try {
    parseConstraints(affectedVersions);
  } catch (error) {
    throw badRequest(`"affectedVersions" is not a valid constraint: ${error instanceof Error ? error.message : ""}`, "invalid_constraint");
  }
  const cve = optionalString(body, "cve", 40) || null;
  if (cve && !/^CVE-\d{4}-\d{4,}$/.test(cve)) throw badRequest('"cve" must look like CVE-2026-12345.');
  const link = optionalString(body, "link", 2048) || null;
  if (link && !/^https?:\/\//i.test(link)) throw badRequest('"link" must be an http(s) URL.');
  const severity = optionalString(body, "severity", 20)?.toLowerCase() || null;
  if (severity && !(SEVERITIES as readonly string[]).includes(severity)) throw badRequest(`"severity" must be one of ${SEVERITIES.join(", ")}.`);
  return {
    packageName,
    affectedVersions,
    title: requiredString(body, "title", 500),
    cve,
    link,
    severity,
    reportedAt: optionalDate(body, "reportedAt") ?? now,
  };
}

export function composerAdvisory(row: AdvisoryRow): ComposerAdvisory {
  return {
    advisoryId: row.advisoryId,
    packageName: row.packageName,
    affectedVersions: row.affectedVersions,
    title: row.title,
    sources: [{ name: "Satchel", remoteId: row.advisoryId }],
    reportedAt: new Date(row.reportedAt).toISOString().replace(/\.\d{3}Z$/, "+00:00"),
    cve: row.cve,
    link: row.link,
    severity: row.severity,
  };
}
