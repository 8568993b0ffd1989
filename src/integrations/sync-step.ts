// Repository sync, as small resumable steps on the edge. Why the edge and not git-worker
// jobs: every step reads and writes state the edge owns (repositories, packages, the cursor)
// and is a handful of API calls, not git work; and why steps: a Worker on the Free plan gets
// 50 subrequests per invocation, so one step makes at most STEP_REQUESTS provider calls, saves
// its cursor, and the next step (the sync route, the org webhook, or the scheduler each
// minute) carries on. A 5xx or a rate limit stops the step with its cursor saved; repositories
// are keyed by the provider's id, so a resumed or repeated run duplicates nothing.
import { applyPackageChanges } from "../packages/package-changes.ts";
import { findPackageByName, packageNameByRepository } from "../packages/package-store.ts";
import type { Services } from "../services.ts";
import { addRepositories } from "./add-repositories.ts";
import { integrationClient } from "./integration-client.ts";
import {
  findIntegration,
  listIntegrationRepositories,
  recordComposerChecks,
  recordListedRepositories,
  repositoriesToCheck,
  setPackageRepository,
  updateIntegration,
  type IntegrationRepositoryRow,
  type IntegrationRow,
  type ListedRepository,
} from "./integration-store.ts";
import { ProviderRefused, ProviderUnavailable, RateLimited } from "./provider-http.ts";

const STEP_REQUESTS = 20;
/** The cursor once every page is listed (composer.json checks may remain). */
const LISTED = "listed";
const UNAVAILABLE_WAIT_MS = 60_000;

export type SyncState = "idle" | "running" | "waiting" | "failed";

/** Starts a run unless one is under way (a waiting run keeps its cursor and its wait). */
export async function startSync(services: Services, row: IntegrationRow): Promise<IntegrationRow> {
  if (row.syncState === "running" || row.syncState === "waiting") return row;
  const { provider } = integrationClient(services, row);
  const changes = { syncRun: row.syncRun + 1, syncCursor: provider.firstPage(row.organization), syncState: "running", syncError: null, syncResumeAt: null };
  await updateIntegration(services.db, row.id, changes);
  return { ...row, ...changes };
}

/** One bounded step of the current run; the state it leaves the integration in. */
export async function runSyncStep(services: Services, row: IntegrationRow): Promise<SyncState> {
  if (row.syncState === "idle" || row.syncState === "failed") return row.syncState;
  if (row.syncResumeAt !== null && row.syncResumeAt > services.now()) return "waiting";
  const client = integrationClient(services, row);
  let budget = STEP_REQUESTS;
  let cursor = row.syncCursor ?? LISTED;
  try {
    await updateIntegration(services.db, row.id, { syncState: "running", syncResumeAt: null });
    while (budget > 0) {
      const unchecked = await repositoriesToCheck(services.db, row.id, row.syncRun, budget);
      if (unchecked.length) {
        budget -= await checkComposerJson(services, client, unchecked);
        continue;
      }
      if (cursor === LISTED) {
        await finishRun(services, row);
        return "idle";
      }
      const page = await client.provider.readPage(client.http, cursor);
      budget--;
      const before = await recordListedRepositories(services.db, row.id, row.syncRun, page.repositories);
      await followRenames(services, before, page.repositories);
      cursor = page.next ?? LISTED;
      await updateIntegration(services.db, row.id, { syncCursor: cursor });
    }
    return "running";
  } catch (error) {
    return stopped(services, row, error);
  }
}

/** Checks each repository's composer.json, recording what was learned even if a call fails midway. */
async function checkComposerJson(services: Services, client: ReturnType<typeof integrationClient>, rows: IntegrationRepositoryRow[]): Promise<number> {
  const checks: { id: number; hasComposer: boolean }[] = [];
  let requests = 0;
  try {
    for (const row of rows) {
      if (row.archived) {
        checks.push({ id: row.id, hasComposer: false });
        continue;
      }
      requests++;
      checks.push({ id: row.id, hasComposer: await client.provider.hasComposerJson(client.http, row) });
    }
  } finally {
    await recordComposerChecks(services.db, checks);
  }
  return Math.max(requests, 1);
}

async function stopped(services: Services, row: IntegrationRow, error: unknown): Promise<SyncState> {
  if (error instanceof RateLimited || error instanceof ProviderUnavailable) {
    const resumeAt = error instanceof RateLimited ? error.resumeAt : services.now() + UNAVAILABLE_WAIT_MS;
    await updateIntegration(services.db, row.id, { syncState: "waiting", syncResumeAt: resumeAt, syncError: error.message });
    return "waiting";
  }
  if (error instanceof ProviderRefused) {
    await updateIntegration(services.db, row.id, { syncState: "failed", syncError: error.message });
    return "failed";
  }
  throw error;
}

/** A package whose repository was renamed or transferred follows it: same provider id, new URL. */
async function followRenames(services: Services, before: IntegrationRepositoryRow[], listed: ListedRepository[]): Promise<void> {
  for (const old of before) {
    const now = listed.find((repo) => repo.providerId === old.providerId);
    if (!now || !old.packageRepository || now.cloneUrl === old.cloneUrl) continue;
    const pkg = await packageOf(services, old.packageRepository);
    if (pkg) {
      const updated = await applyPackageChanges(services, pkg, { repository: now.cloneUrl });
      services.log.info("package follows its renamed repository", { package: pkg.name, from: old.fullName, to: now.fullName });
      await setPackageRepository(services.db, old.id, updated.repository);
    }
  }
}

/** The end of a complete listing: gone or archived repositories abandon their packages, new ones are added (auto-sync). */
async function finishRun(services: Services, row: IntegrationRow): Promise<void> {
  const repositories = await listIntegrationRepositories(services.db, row.id);
  for (const repo of repositories) {
    const gone = repo.seenRun < row.syncRun;
    if (!repo.packageRepository || !(gone || repo.archived)) continue;
    const pkg = await packageOf(services, repo.packageRepository);
    if (pkg && pkg.abandoned === null) await applyPackageChanges(services, pkg, { abandoned: true });
  }
  const fresh = (await findIntegration(services.db, row.id)) ?? row;
  if (row.autoSync) {
    const candidates = repositories.filter((repo) => repo.seenRun === row.syncRun && repo.hasComposer === true && !repo.archived && !repo.packageRepository);
    if (candidates.length) await addRepositories(services, fresh, candidates);
  }
  await updateIntegration(services.db, row.id, { syncState: "idle", syncCursor: null, syncResumeAt: null, syncError: null, syncedAt: services.now() });
}

async function packageOf(services: Services, repository: string) {
  const name = await packageNameByRepository(services.db, repository);
  return name ? findPackageByName(services.db, name) : undefined;
}
