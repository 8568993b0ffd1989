// Team sync's rows: which provider team maps to which Satchel group, and which Satchel users
// are linked to identities of the sign-in providers an integration's teams come from.
import { and, eq, inArray } from "drizzle-orm";
import { identityLinks, integrations, integrationTeams } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export interface TeamMapping {
  team: string;
  groupId: number;
}

export async function teamMappings(db: Database, integrationId: number): Promise<TeamMapping[]> {
  return db.orm.select({ team: integrationTeams.team, groupId: integrationTeams.groupId }).from(integrationTeams).where(eq(integrationTeams.integrationId, integrationId)).all();
}

export async function replaceTeamMappings(db: Database, integrationId: number, mappings: TeamMapping[]): Promise<void> {
  await db.batch([
    db.orm.delete(integrationTeams).where(eq(integrationTeams.integrationId, integrationId)),
    ...mappings.map((mapping) => db.orm.insert(integrationTeams).values({ integrationId, ...mapping }).onConflictDoNothing()),
  ] as never);
}

/** Integrations with team sync on. */
export async function teamSyncIntegrations(db: Database) {
  return db.orm.select().from(integrations).where(eq(integrations.teamSync, true)).all();
}

/** Every (user, subject) linked through these sign-in providers. */
export async function linkedIdentities(db: Database, providerIds: number[]): Promise<{ userId: number; subject: string }[]> {
  if (providerIds.length === 0) return [];
  return db.orm.select({ userId: identityLinks.userId, subject: identityLinks.subject }).from(identityLinks).where(inArray(identityLinks.providerId, providerIds)).all();
}

/** The subject a user is linked by through one sign-in provider, if any. */
export async function linkedSubject(db: Database, providerId: number, userId: number): Promise<string | undefined> {
  return (await db.orm.select({ subject: identityLinks.subject }).from(identityLinks).where(and(eq(identityLinks.providerId, providerId), eq(identityLinks.userId, userId))).get())?.subject;
}
