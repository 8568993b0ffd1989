// A package as the REST API shows it (settings and state, not versions).
import { redactUrl } from "../http/redact.ts";
import { isoOrNull } from "../http/json-body.ts";
import type { ListedPackage } from "./package-store.ts";

export function packageView(row: ListedPackage, showSource: boolean) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    // Credentials embedded in a repository URL are never shown back.
    ...(showSource ? { repository: row.repository && redactUrl(row.repository), credentials: row.credentialsId } : {}),
    description: row.description,
    type: row.packageType,
    public: row.isPublic,
    abandoned: row.abandoned === null ? false : row.abandoned || true,
    updatesDisabled: row.updatesDisabled,
    archived: row.archived,
    ...(showSource ? { reviewLockFiles: row.reviewLockFiles, application: row.application } : {}),
    createdAt: new Date(row.createdAt).toISOString(),
    crawledAt: isoOrNull(row.crawledAt),
    ...(showSource && row.updateError ? { updateError: row.updateError } : {}),
  };
}
