// Repositories of an integration become packages through the same path as POST
// /api/create-package, read with the integration's credential. The org hook covers them; a
// GitLab group without one gets a project hook per added repository (org-hook.ts).
import { AppError } from "../http/errors.ts";
import { submitVcsPackage } from "../packages/package-changes.ts";
import type { Services } from "../services.ts";
import { integrationToken } from "./integration-client.ts";
import { installRepositoryHook } from "./org-hook.ts";
import { setPackageRepository, type IntegrationRepositoryRow, type IntegrationRow } from "./integration-store.ts";

export interface AddReport {
  added: { repository: string; job: string }[];
  skipped: { repository: string; reason: string }[];
}

export async function addRepositories(services: Services, integration: IntegrationRow, rows: IntegrationRepositoryRow[]): Promise<AddReport> {
  const report: AddReport = { added: [], skipped: [] };
  // A GitHub App's token is refreshed now, so the queued jobs clone with a fresh one.
  if (rows.length) await integrationToken(services, integration);
  for (const row of rows) {
    if (row.packageRepository) report.skipped.push({ repository: row.fullName, reason: "already added" });
    else if (row.archived) report.skipped.push({ repository: row.fullName, reason: "archived" });
    else if (row.hasComposer === false) report.skipped.push({ repository: row.fullName, reason: "no composer.json on the default branch" });
    else {
      try {
        const job = await submitVcsPackage(services, row.cloneUrl, integration.credentialsId, { installWebhook: false });
        await setPackageRepository(services.db, row.id, String(job.payload?.repository ?? row.cloneUrl));
        await installRepositoryHook(services, integration, row);
        report.added.push({ repository: row.fullName, job: job.id });
      } catch (error) {
        if (!(error instanceof AppError) || error.code !== "duplicate_repository") throw error;
        // Registered by hand before: the integration follows that package from now on.
        await setPackageRepository(services.db, row.id, row.cloneUrl);
        report.skipped.push({ repository: row.fullName, reason: error.message });
      }
    }
  }
  return report;
}
