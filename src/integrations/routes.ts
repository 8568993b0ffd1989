// /api/integrations: connected organizations (admin), their repositories, sync, and the
// organization webhook receiver (signed, no API credentials).
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest, notFound } from "../http/errors.ts";
import { readJsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import type { Services } from "../services.ts";
import { addRepositories } from "./add-repositories.ts";
import { connectIntegration, parseConnectInput } from "./connect-integration.ts";
import { receiveIntegrationHook } from "./hook-receiver.ts";
import { deleteIntegration, findIntegration, listIntegrationRepositories, listIntegrations, type IntegrationRepositoryRow } from "./integration-store.ts";
import { integrationView, repositoryView } from "./integration-view.ts";
import { removeOrgHook } from "./org-hook.ts";
import { runSyncStep, startSync } from "./sync-step.ts";
import { replaceTeamMappings, teamMappings, type TeamMapping } from "./team-store.ts";
import { refreshTeams } from "./team-sync.ts";
import { groupNames } from "../groups/group-store.ts";

export function integrationRoutes() {
  const api = new Hono<AppEnv>();
  const admin = requireScope("admin");

  api.post("/integrations/:id/hook", idParams("id"), (c) => receiveIntegrationHook(c, c.req.valid("param").id));

  api.get("/integrations", admin, async (c) => c.json({ integrations: (await listIntegrations(c.get("services").db)).map(integrationView) }));

  api.post("/integrations", admin, async (c) => {
    const { row, warning } = await connectIntegration(c.get("services"), parseConnectInput(await readJsonObject(c, 64 * 1024)));
    return c.json({ ...integrationView(row), ...(warning ? { warning } : {}) }, 201);
  });

  api.get("/integrations/:id", admin, idParams("id"), async (c) => c.json(integrationView(await integrationOr404(c.get("services"), c.req.valid("param").id))));

  api.delete("/integrations/:id", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(services, c.req.valid("param").id);
    await removeOrgHook(services, row);
    await deleteIntegration(services.db, row.id);
    return c.body(null, 204);
  });

  api.get("/integrations/:id/repositories", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(services, c.req.valid("param").id);
    return c.json({ repositories: (await listIntegrationRepositories(services.db, row.id)).map(repositoryView) });
  });

  api.post("/integrations/:id/repositories", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(services, c.req.valid("param").id);
    const wanted = await readJsonObject(c);
    const chosen = chooseRepositories(await listIntegrationRepositories(services.db, row.id), wanted.repositories);
    return c.json(await addRepositories(services, row, chosen), 202);
  });

  // One sync step now (a run is started if none is under way); the scheduler carries on.
  api.post("/integrations/:id/sync", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await startSync(services, await integrationOr404(services, c.req.valid("param").id));
    await runSyncStep(services, row);
    return c.json(integrationView(await integrationOr404(services, row.id)));
  });

  api.get("/integrations/:id/teams", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(services, c.req.valid("param").id);
    return c.json({ teams: (await teamMappings(services.db, row.id)).map(({ team, groupId }) => ({ team, group: groupId })) });
  });

  api.put("/integrations/:id/teams", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(services, c.req.valid("param").id);
    if (!row.teamSync) throw badRequest("Team sync is off for this integration: connect it with \"teamSync\": true.", "team_sync_off");
    const mappings = await readTeamMappings(services, (await readJsonObject(c)).teams);
    await replaceTeamMappings(services.db, row.id, mappings);
    return c.json({ teams: mappings.map(({ team, groupId }) => ({ team, group: groupId })) });
  });

  // Reads the mapped teams now (the scheduler does it hourly, sign-in for the user signing in).
  api.post("/integrations/:id/teams/refresh", admin, idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await integrationOr404(services, c.req.valid("param").id);
    return c.json({ changedUsers: await refreshTeams(services, row) });
  });

  return api;
}

async function readTeamMappings(services: Services, teams: unknown): Promise<TeamMapping[]> {
  const valid = Array.isArray(teams) && teams.length <= 200 && teams.every((entry) => entry && typeof entry === "object" && typeof entry.team === "string" && /^[\w.-]+(\/[\w.-]+)*$/.test(entry.team) && Number.isSafeInteger(entry.group));
  if (!valid) throw badRequest('"teams" must be a list of {"team": "<team slug or subgroup path>", "group": <Satchel group id>}.', "invalid_teams");
  const mappings = (teams as { team: string; group: number }[]).map((entry) => ({ team: entry.team, groupId: entry.group }));
  const known = new Set((await groupNames(services.db)).map((group) => group.id));
  const unknown = mappings.filter((mapping) => !known.has(mapping.groupId));
  if (unknown.length) throw badRequest(`No such Satchel group: ${unknown.map((mapping) => mapping.groupId).join(", ")}.`, "invalid_teams");
  return mappings;
}

async function integrationOr404(services: Services, id: number) {
  const row = await findIntegration(services.db, id);
  if (!row) throw notFound("No such integration.");
  return row;
}

/** The rows named by provider id or full name; unknown names refuse the whole request (nothing is added). */
export function chooseRepositories(rows: IntegrationRepositoryRow[], names: unknown): IntegrationRepositoryRow[] {
  if (!Array.isArray(names) || names.length === 0 || names.length > 500 || !names.every((name) => typeof name === "string" || typeof name === "number")) {
    throw badRequest('"repositories" must be a list of 1 to 500 repository ids or full names (synced first).', "invalid_repositories");
  }
  const chosen = names.map((name) => rows.find((row) => row.providerId === String(name) || row.fullName.toLowerCase() === String(name).toLowerCase()));
  const unknown = names.filter((_, i) => !chosen[i]);
  if (unknown.length) throw badRequest(`Unknown repositories (sync the integration first?): ${unknown.slice(0, 10).join(", ")}. Nothing was added.`, "unknown_repositories");
  return [...new Set(chosen as IntegrationRepositoryRow[])];
}
