// The proxy's rows behind domain verbs: upstreams and their settings as the proxy reads them, the mirror
// documents' freshness, the changes-feed positions, and the counters. upstream-store.ts holds
// the changes an admin makes (with their cache invalidation).
import { and, asc, eq, inArray, like, sql } from "drizzle-orm";
import { meta, mirrorDocuments, proxyAccessGroups, upstreamApprovals, upstreams } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";

export type UpstreamInsert = typeof upstreams.$inferInsert;
export type ProxyPolicy = "everyone" | "groups";

export const PROXY_POLICY_KEY = "proxy_policy";

/** Upstreams by priority, every approval, the access policy and the groups it names. */
export async function upstreamSettingsRows(db: Database) {
  const { orm } = db;
  const upstreamRows = orm.select().from(upstreams).orderBy(asc(upstreams.priority), asc(upstreams.id));
  const approvalRows = orm.select().from(upstreamApprovals);
  const policyRows = orm.select().from(meta).where(eq(meta.key, PROXY_POLICY_KEY));
  const groupRows = orm.select().from(proxyAccessGroups);
  // One batch: one round trip (a cold packages.json waits for it), one consistent read.
  const [rows, approvals, policy, groups] = (await db.batch([upstreamRows, approvalRows, policyRows, groupRows])) as [
    Awaited<typeof upstreamRows>,
    Awaited<typeof approvalRows>,
    Awaited<typeof policyRows>,
    Awaited<typeof groupRows>,
  ];
  return { rows, approvals, policy: policy[0]?.value, groupIds: groups.map((group) => group.groupId) };
}

/** Whether the default upstream was added once (a `seededKey` row remembers it even after an admin removes it). */
export async function upstreamSeeded(db: Database, seededKey: string): Promise<boolean> {
  return (await db.orm.select().from(meta).where(eq(meta.key, seededKey)).get()) !== undefined;
}

export async function seedUpstream(db: Database, seededKey: string, upstream: { name: string; url: string; createdAt: number }): Promise<void> {
  await db.batch([db.orm.insert(upstreams).values(upstream).onConflictDoNothing(), db.orm.insert(meta).values({ key: seededKey, value: upstream.url }).onConflictDoNothing()]);
}

/** Statements adding counted hits, misses and requests (and the last sync or error) to an upstream. */
export function upstreamCounterStatement(
  db: Database,
  upstreamId: number,
  counts: { hits: number; misses: number; requests: number; lastSyncAt: number | null; lastError: { message: string; at: number } | null; cleared: boolean },
): BatchStatement {
  return db.orm
    .update(upstreams)
    .set({
      hits: sql`${upstreams.hits} + ${counts.hits}`,
      misses: sql`${upstreams.misses} + ${counts.misses}`,
      upstreamRequests: sql`${upstreams.upstreamRequests} + ${counts.requests}`,
      ...(counts.lastSyncAt !== null ? { lastSyncAt: counts.lastSyncAt } : {}),
      // A later success clears an older error; an error after the success is kept.
      ...(counts.lastError ? { lastError: counts.lastError.message, lastErrorAt: counts.lastError.at } : counts.cleared ? { lastError: null } : {}),
    })
    .where(eq(upstreams.id, upstreamId));
}

/** Every stored changes-feed position (meta rows under `prefix`), by key. */
export async function feedStates(db: Database, prefix: string): Promise<Map<string, string>> {
  const rows = await db.orm.select().from(meta).where(like(meta.key, `${prefix}%`)).all();
  return new Map(rows.map((row) => [row.key, row.value]));
}

export async function saveFeedState(db: Database, key: string, value: string): Promise<void> {
  await db.orm.insert(meta).values({ key, value }).onConflictDoUpdate({ target: meta.key, set: { value } });
}

// One bound parameter for any number of names (D1 allows 100 per statement).
const named = (names: string[]) => inArray(mirrorDocuments.name, sql`(select value from json_each(${JSON.stringify(names)}))`);

/** Marks every mirrored document of an upstream (or only `names`) for a re-check; how many. */
export async function markMirrorStale(db: Database, upstreamId: number, names?: string[]): Promise<number> {
  const where = names ? and(eq(mirrorDocuments.upstreamId, upstreamId), named(names)) : eq(mirrorDocuments.upstreamId, upstreamId);
  const rows = await db.orm.update(mirrorDocuments).set({ checkedAt: 0 }).where(where).returning({ name: mirrorDocuments.name });
  return rows.length;
}

/** Marks found documents the upstream deleted as missing (their blobs stay until pruned); how many. */
export async function markMirrorMissing(db: Database, upstreamId: number, names: string[]): Promise<number> {
  const rows = await db.orm
    .update(mirrorDocuments)
    .set({ status: "missing", bodyKey: null, distsKey: null, size: 0, upstreamLastModified: null, checkedAt: 0 })
    .where(and(eq(mirrorDocuments.upstreamId, upstreamId), eq(mirrorDocuments.status, "found"), named(names)))
    .returning({ name: mirrorDocuments.name });
  return rows.length;
}

/** Names mirrored as found, per upstream (at most `limit` rows). */
export async function mirroredNames(db: Database, limit: number): Promise<Map<number, string[]>> {
  const rows = await db.orm.selectDistinct({ upstreamId: mirrorDocuments.upstreamId, name: mirrorDocuments.name }).from(mirrorDocuments).where(eq(mirrorDocuments.status, "found")).limit(limit).all();
  const byUpstream = new Map<number, string[]>();
  for (const row of rows) {
    const list = byUpstream.get(row.upstreamId);
    if (list) list.push(row.name);
    else byUpstream.set(row.upstreamId, [row.name]);
  }
  return byUpstream;
}




