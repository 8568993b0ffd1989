// The scheduler's share of repository sync: runs under way (or waiting out a rate limit) take
// one more step, and auto-sync integrations start a new run once a day; team memberships are
// read again every hour. One integration per pass for each: a step makes up to 20 provider
// calls, and a cron invocation on the Free plan has 50 subrequests for all its work.
// GitHub App installation tokens (one hour) are minted again ten minutes before they expire:
// the integration's credential is what the git worker clones with, however long a job waited.
import type { Services } from "../services.ts";
import { integrationToken, REFRESH_BEFORE_MS } from "./integration-client.ts";
import { appTokensDue, integrationsToSync } from "./integration-store.ts";
import { runSyncStep, startSync } from "./sync-step.ts";
import { teamSyncIntegrations } from "./team-store.ts";
import { refreshTeams } from "./team-sync.ts";

const AUTO_SYNC_PERIOD_MS = 24 * 60 * 60_000;
const TEAM_REFRESH_PERIOD_MS = 60 * 60_000;
/** One subrequest each. */
const APP_TOKENS_PER_PASS = 5;

export async function stepIntegrationSyncs(services: Services): Promise<number> {
  const now = services.now();
  let stepped = 0;
  for (const row of await integrationsToSync(services.db, now, now - AUTO_SYNC_PERIOD_MS, 1)) {
    await runSyncStep(services, row.syncState === "idle" ? await startSync(services, row) : row);
    stepped++;
  }
  return stepped;
}

export async function refreshDueTeams(services: Services): Promise<number> {
  const due = (await teamSyncIntegrations(services.db)).find((row) => row.teamsSyncedAt === null || row.teamsSyncedAt <= services.now() - TEAM_REFRESH_PERIOD_MS);
  return due ? refreshTeams(services, due) : 0;
}

export async function refreshDueAppTokens(services: Services): Promise<number> {
  let refreshed = 0;
  for (const row of await appTokensDue(services.db, services.now() + REFRESH_BEFORE_MS, APP_TOKENS_PER_PASS)) {
    try {
      await integrationToken(services, row);
      refreshed++;
    } catch (error) {
      // One App GitHub refuses must not keep the others' tokens from being refreshed; tried again next pass.
      services.log.warn("could not refresh a GitHub App installation token", { integration: row.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
  return refreshed;
}
