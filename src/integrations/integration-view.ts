// Integrations and their repositories as the API and the pages show them: never a secret.
import { isoOrNull } from "../http/json-body.ts";
import type { IntegrationRepositoryRow, IntegrationRow } from "./integration-store.ts";

export type RepositoryState = "added" | "not added" | "archived" | "no composer.json" | "not checked";

export function integrationView(row: IntegrationRow) {
  return {
    id: row.id,
    provider: row.provider,
    apiUrl: row.apiUrl,
    organization: row.organization,
    credentials: row.credentialsId,
    app: row.appId ? { appId: row.appId, installationId: row.installationId } : null,
    webhook: row.hookId !== null,
    autoSync: row.autoSync,
    teamSync: row.teamSync,
    sync: { state: row.syncState, error: row.syncError, resumeAt: isoOrNull(row.syncResumeAt), syncedAt: isoOrNull(row.syncedAt) },
    createdAt: new Date(row.createdAt).toISOString(),
  };
}

export function repositoryState(row: IntegrationRepositoryRow): RepositoryState {
  if (row.packageRepository) return "added";
  if (row.archived) return "archived";
  if (row.hasComposer === null) return "not checked";
  return row.hasComposer ? "not added" : "no composer.json";
}

export function repositoryView(row: IntegrationRepositoryRow) {
  return { id: row.providerId, name: row.fullName, url: row.cloneUrl, defaultBranch: row.defaultBranch, state: repositoryState(row) };
}
