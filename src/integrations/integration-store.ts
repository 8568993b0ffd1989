// Integrations (connected organizations), the repositories their syncs saw, and the ETags of
// provider answers. The only file of src/integrations/ that knows the schema.
import { and, asc, desc, eq, inArray, isNotNull, isNull, lt, ne, or } from "drizzle-orm";
import { integrationEtags, integrationRepositories, integrations } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export type IntegrationRow = typeof integrations.$inferSelect;
export type IntegrationChanges = Partial<Omit<typeof integrations.$inferInsert, "id">>;
export type IntegrationRepositoryRow = typeof integrationRepositories.$inferSelect;

export interface ListedRepository {
  providerId: string;
  fullName: string;
  cloneUrl: string;
  defaultBranch: string;
  archived: boolean;
}

export async function insertIntegration(db: Database, row: typeof integrations.$inferInsert): Promise<IntegrationRow> {
  return db.orm.insert(integrations).values(row).returning().get();
}

export async function listIntegrations(db: Database): Promise<IntegrationRow[]> {
  return db.orm.select().from(integrations).orderBy(desc(integrations.id)).all();
}

export async function findIntegration(db: Database, id: number): Promise<IntegrationRow | undefined> {
  return db.orm.select().from(integrations).where(eq(integrations.id, id)).get();
}

export async function updateIntegration(db: Database, id: number, changes: IntegrationChanges): Promise<void> {
  await db.orm.update(integrations).set(changes).where(eq(integrations.id, id));
}

export async function deleteIntegration(db: Database, id: number): Promise<void> {
  await db.orm.delete(integrations).where(eq(integrations.id, id));
}

/** Integrations whose sync is under way or due again (auto-sync), for the scheduler, `limit` at a time. */
export async function integrationsToSync(db: Database, now: number, autoSyncBefore: number, limit: number): Promise<IntegrationRow[]> {
  const resumable = and(ne(integrations.syncState, "idle"), ne(integrations.syncState, "failed"), or(isNull(integrations.syncResumeAt), lt(integrations.syncResumeAt, now + 1)));
  const due = and(eq(integrations.autoSync, true), eq(integrations.syncState, "idle"), or(isNull(integrations.syncedAt), lt(integrations.syncedAt, autoSyncBefore)));
  return db.orm.select().from(integrations).where(or(resumable, due)).orderBy(asc(integrations.syncResumeAt)).limit(limit).all();
}

/** GitHub App integrations whose installation token expires before `before` (or was never minted), the soonest first. */
export async function appTokensDue(db: Database, before: number, limit: number): Promise<IntegrationRow[]> {
  const isApp = and(isNotNull(integrations.appId), isNotNull(integrations.installationId), isNotNull(integrations.appKeyEnc), isNotNull(integrations.credentialsId));
  return db.orm.select().from(integrations).where(and(isApp, or(isNull(integrations.appTokenExpiresAt), lt(integrations.appTokenExpiresAt, before)))).orderBy(asc(integrations.appTokenExpiresAt)).limit(limit).all();
}

/**
 * Records one listed page in a sync run, keyed by the provider's id: a renamed or transferred
 * repository updates its row. Returns the rows as they were before (to follow renames).
 */
export async function recordListedRepositories(db: Database, integrationId: number, run: number, listed: ListedRepository[]): Promise<IntegrationRepositoryRow[]> {
  if (listed.length === 0) return [];
  const before = await db.orm
    .select()
    .from(integrationRepositories)
    .where(and(eq(integrationRepositories.integrationId, integrationId), inArray(integrationRepositories.providerId, listed.map((repo) => repo.providerId))))
    .all();
  const writes = listed.map((repo) =>
    db.orm
      .insert(integrationRepositories)
      .values({ integrationId, ...repo, seenRun: run, hasComposer: null })
      .onConflictDoUpdate({
        target: [integrationRepositories.integrationId, integrationRepositories.providerId],
        set: { fullName: repo.fullName, cloneUrl: repo.cloneUrl, defaultBranch: repo.defaultBranch, archived: repo.archived, seenRun: run, hasComposer: null },
      }),
  );
  await db.batch(writes as never);
  return before;
}

/** Repositories of this run whose composer.json has not been looked for yet. */
export async function repositoriesToCheck(db: Database, integrationId: number, run: number, limit: number): Promise<IntegrationRepositoryRow[]> {
  return db.orm
    .select()
    .from(integrationRepositories)
    .where(and(eq(integrationRepositories.integrationId, integrationId), eq(integrationRepositories.seenRun, run), isNull(integrationRepositories.hasComposer)))
    .orderBy(asc(integrationRepositories.id))
    .limit(limit)
    .all();
}

export async function recordComposerChecks(db: Database, checks: { id: number; hasComposer: boolean }[]): Promise<void> {
  if (checks.length === 0) return;
  await db.batch(checks.map((check) => db.orm.update(integrationRepositories).set({ hasComposer: check.hasComposer }).where(eq(integrationRepositories.id, check.id))) as never);
}

export async function listIntegrationRepositories(db: Database, integrationId: number): Promise<IntegrationRepositoryRow[]> {
  return db.orm.select().from(integrationRepositories).where(eq(integrationRepositories.integrationId, integrationId)).orderBy(asc(integrationRepositories.fullName)).all();
}

export async function setRepositoryHook(db: Database, id: number, hookId: string | null): Promise<void> {
  await db.orm.update(integrationRepositories).set({ hookId }).where(eq(integrationRepositories.id, id));
}

export async function setPackageRepository(db: Database, id: number, packageRepository: string | null): Promise<void> {
  await db.orm.update(integrationRepositories).set({ packageRepository }).where(eq(integrationRepositories.id, id));
}

export async function findIntegrationRepository(db: Database, integrationId: number, providerId: string): Promise<IntegrationRepositoryRow | undefined> {
  return db.orm
    .select()
    .from(integrationRepositories)
    .where(and(eq(integrationRepositories.integrationId, integrationId), eq(integrationRepositories.providerId, providerId)))
    .get();
}

export interface CachedAnswer {
  etag: string;
  body: string;
  next: string | null;
}

export async function cachedAnswer(db: Database, integrationId: number, url: string): Promise<CachedAnswer | undefined> {
  return db.orm
    .select({ etag: integrationEtags.etag, body: integrationEtags.body, next: integrationEtags.next })
    .from(integrationEtags)
    .where(and(eq(integrationEtags.integrationId, integrationId), eq(integrationEtags.url, url)))
    .get();
}

export async function saveAnswer(db: Database, integrationId: number, url: string, answer: CachedAnswer): Promise<void> {
  await db.orm
    .insert(integrationEtags)
    .values({ integrationId, url, ...answer })
    .onConflictDoUpdate({ target: [integrationEtags.integrationId, integrationEtags.url], set: answer });
}
