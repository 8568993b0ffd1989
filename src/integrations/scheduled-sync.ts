// The scheduler's share of repository sync: runs under way (or waiting out a rate limit) take
// one more step, and auto-sync integrations start a new run once a day; team memberships are
// read again every hour. One integration per pass for each: a step makes up to 20 provider
// calls, and a cron invocation on the Free plan has 50 subrequests for all its work.
import type { Services } from "../services.ts";
import { integrationsToSync } from "./integration-store.ts";
import { runSyncStep, startSync } from "./sync-step.ts";
import { teamSyncIntegrations } from "./team-store.ts";
import { refreshTeams } from "./team-sync.ts";

const AUTO_SYNC_PERIOD_MS = 24 * 60 * 60_000;
const TEAM_REFRESH_PERIOD_MS = 60 * 60_000;

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
