// Setting and removing the metadata patch of one published version: the patch row and the
// documents rebuilt with it commit in one batch (commitVersions), and the audit log records the
// change as a diff. The version's stored entry is never touched, so the patch survives a re-scan
// of the version and removing it restores exactly what was published.
import { recordAudit } from "../audit/audit-log.ts";
import type { Principal } from "../auth/principal.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { normalize } from "../composer-rules/version-parser.ts";
import { notFound } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { patchesOf, removePatchStatement, savePatchStatement } from "./patch-store.ts";
import type { PackageRow } from "./package-store.ts";
import { commitVersions, storedVersions, type StoredVersion } from "./rebuild-documents.ts";
import { parseVersionPatch, patchDiff } from "./version-patch.ts";

/** Who patches, and from where (the API's principal or the page's session), for the audit log. */
export interface PatchAuthor {
  principal: Principal;
  ip: string | null;
}

export async function savePatch(services: Services, author: PatchAuthor, pkg: PackageRow, version: string, body: Record<string, unknown>) {
  const { principal } = author;
  const stored = await storedVersions(services.db, pkg.id);
  const target = publishedVersion(pkg, stored, version);
  const patch = parseVersionPatch(body, pkg.name);
  const patches = await patchesOf(services.db, pkg.id);
  const saved = { patch, createdBy: principal.username, createdAt: services.now() };
  patches.set(target.version_normalized, saved);
  await commitVersions(services, pkg, stored, [savePatchStatement(services.db, pkg.id, target.version_normalized, patch, saved.createdBy, saved.createdAt)], patches);
  const diff = patchDiff(target, patch);
  await audit(services, author, "package version patched", pkg, target, { patch, diff });
  return { version: target.version, version_normalized: target.version_normalized, patch, diff, createdBy: saved.createdBy, createdAt: new Date(saved.createdAt).toISOString() };
}

export async function removePatch(services: Services, author: PatchAuthor, pkg: PackageRow, version: string): Promise<void> {
  const stored = await storedVersions(services.db, pkg.id);
  const target = publishedVersion(pkg, stored, version);
  const patches = await patchesOf(services.db, pkg.id);
  const removed = patches.get(target.version_normalized);
  if (!removed) throw notFound(`${pkg.name} ${target.version} has no patch.`);
  patches.delete(target.version_normalized);
  await commitVersions(services, pkg, stored, [removePatchStatement(services.db, pkg.id, target.version_normalized)], patches);
  await audit(services, author, "package version patch removed", pkg, target, { patch: removed.patch });
}

/** The stored entry of `version` (as published, or normalized); 404 when the package has no such version. */
function publishedVersion(pkg: PackageRow, stored: StoredVersion[], version: string): VersionEntry {
  let normalized: string | null = null;
  try {
    normalized = normalize(version);
  } catch {
    normalized = null;
  }
  const found = stored.find(({ entry }) => entry.version === version || entry.version_normalized === version || entry.version_normalized === normalized);
  if (!found) throw notFound(`${pkg.name} has no version ${version.slice(0, 100)}.`);
  return found.entry;
}

function audit(services: Services, author: PatchAuthor, action: string, pkg: PackageRow, target: VersionEntry, details: Record<string, unknown>) {
  return recordAudit(services, { actor: author.principal, action, target: `${pkg.name} ${target.version}`, details, ip: author.ip });
}
