// Team sync: members of a mapped provider team (a GitHub team, a GitLab subgroup) belong to the
// mapped Satchel group, which decides what they may install. A provider user is a Satchel user
// through the identity link their provider sign-in made (the subject is the provider's user
// id). Only the groups an integration maps are touched; every other membership stays. Every
// team is read before anything is written: a provider failure changes nothing.
import { loadPrincipal } from "../auth/principal.ts";
import { githubApiBase } from "../identity/github-sign-in.ts";
import { IdentityProviderStore, type IdentityProvider } from "../identity/identity-provider-store.ts";
import type { Services } from "../services.ts";
import { saveUser } from "../users/user-store.ts";
import { integrationClient } from "./integration-client.ts";
import { updateIntegration, type IntegrationRow } from "./integration-store.ts";
import { linkedIdentities, linkedSubject, teamMappings, teamSyncIntegrations, type TeamMapping } from "./team-store.ts";

/** Reads every mapped team and sets the mapped groups of every linked user; how many users changed. */
export async function refreshTeams(services: Services, row: IntegrationRow): Promise<number> {
  const { provider, http } = integrationClient(services, row);
  const mappings = await teamMappings(services.db, row.id);
  if (!provider.teams || mappings.length === 0) {
    await updateIntegration(services.db, row.id, { teamsSyncedAt: services.now() });
    return 0;
  }
  const members = new Map<string, Set<string>>();
  for (const team of new Set(mappings.map((mapping) => mapping.team))) {
    members.set(team, new Set((await provider.teams.members(http, row.organization, team)).map((member) => member.id)));
  }
  const providers = await identityProvidersOf(services, row);
  let changed = 0;
  for (const { userId, subject } of await linkedIdentities(services.db, providers.map((identity) => identity.id))) {
    const wanted = mappings.filter((mapping) => members.get(mapping.team)?.has(subject)).map((mapping) => mapping.groupId);
    if (await setMappedGroups(services, userId, mappings, wanted)) changed++;
  }
  await updateIntegration(services.db, row.id, { teamsSyncedAt: services.now() });
  return changed;
}

/** At provider sign-in: the user's mapped groups from each team-sync integration of that provider. */
export async function refreshTeamsAtSignIn(services: Services, identity: IdentityProvider, claims: Record<string, unknown>, userId: number): Promise<void> {
  for (const row of await teamSyncIntegrations(services.db)) {
    if (!matches(identity, row)) continue;
    const { provider, http } = integrationClient(services, row);
    const mappings = await teamMappings(services.db, row.id);
    const subject = (await linkedSubject(services.db, identity.id, userId)) ?? String(claims.sub);
    const member = { id: subject, login: String(claims.preferred_username ?? "") };
    try {
      const wanted: number[] = [];
      for (const mapping of mappings) if (await provider.teams?.isMember(http, row.organization, mapping.team, member)) wanted.push(mapping.groupId);
      await setMappedGroups(services, userId, mappings, wanted);
    } catch (error) {
      // Sign-in goes on with the memberships of the last refresh.
      services.log.warn("team sync at sign-in failed", { integration: row.id, error: error instanceof Error ? error.message : String(error) });
    }
  }
}

async function setMappedGroups(services: Services, userId: number, mappings: TeamMapping[], wanted: number[]): Promise<boolean> {
  const user = await loadPrincipal(services.db, userId);
  if (!user) return false;
  const mapped = new Set(mappings.map((mapping) => mapping.groupId));
  const next = [...new Set([...[...user.groupIds].filter((id) => !mapped.has(id)), ...wanted])].sort((a, b) => a - b);
  if (next.join() === [...user.groupIds].sort((a, b) => a - b).join()) return false;
  await saveUser(services, userId, { groups: next });
  services.forgetAccess(userId);
  return true;
}

async function identityProvidersOf(services: Services, row: IntegrationRow): Promise<IdentityProvider[]> {
  return (await new IdentityProviderStore(services.db, services.config.encryptionKey).list()).filter((identity) => matches(identity, row));
}

/** A sign-in provider whose users are the integration's provider's users: the same API root. */
function matches(identity: IdentityProvider, row: IntegrationRow): boolean {
  const issuer = identity.issuer.replace(/\/+$/, "");
  if (row.provider === "github") return identity.kind === "github" && githubApiBase(issuer) === row.apiUrl;
  if (row.provider === "gitlab") return identity.kind === "oidc" && `${issuer}/api/v4` === row.apiUrl;
  return false;
}
