// Changes to upstreams, approvals and proxy access, shared by the REST API and the admin pages.
// Every change moves the catalog clock (every packages.json and proxied p2 Last-Modified moves)
// and drops what this process remembered.
import { and, asc, eq, inArray, sql } from "drizzle-orm";
import { mirrorDistKey } from "../blobs/keys.ts";
import { meta, mirrorDists, mirrorDocuments, packages, proxyAccessGroups, upstreamApprovals, upstreams } from "../db/schema.ts";
import { conflict, notFound } from "../http/errors.ts";
import { isoOrNull } from "../http/json-body.ts";
import { touchCatalogNow } from "../packages/package-store.ts";
import type { BatchStatement, Database } from "../ports.ts";
import type { Services } from "../services.ts";
import { changesStateKey } from "./changes-sync.ts";
import type { UpstreamValues } from "./upstream-input.ts";
import { PROXY_POLICY_KEY, type ProxyPolicy } from "./proxy-store.ts";

export type UpstreamRow = typeof upstreams.$inferSelect;

async function changed(services: Services, upstreamId?: number): Promise<void> {
  await touchCatalogNow(services);
  services.upstreams.forget(upstreamId);
}

/** Every upstream by priority (then id). */
export async function listUpstreams(db: Database): Promise<UpstreamRow[]> {
  return db.orm.select().from(upstreams).orderBy(asc(upstreams.priority), asc(upstreams.id)).all();
}

export async function findUpstream(services: Services, id: number): Promise<UpstreamRow> {
  const row = await services.db.orm.select().from(upstreams).where(eq(upstreams.id, id)).get();
  if (!row) throw notFound("No such upstream.");
  return row;
}

export async function saveUpstream(services: Services, id: number | null, values: UpstreamValues): Promise<UpstreamRow> {
  const { orm } = services.db;
  let row: UpstreamRow | undefined;
  try {
    if (id === null) {
      row = await orm.insert(upstreams).values({ name: "", url: "", ...values, createdAt: services.now() }).returning().get();
    } else {
      const before = await findUpstream(services, id);
      row = await orm.update(upstreams).set(values).where(eq(upstreams.id, id)).returning().get();
      // Another URL is another repository: what was mirrored from the old one is forgotten.
      if (values.url !== undefined && values.url !== before.url) await forgetMirror(services, id);
    }
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`An upstream named "${values.name}" exists already.`, "duplicate_upstream");
    throw error;
  }
  if (!row) throw notFound("No such upstream.");
  await changed(services, row.id);
  return row;
}

export async function deleteUpstream(services: Services, id: number): Promise<UpstreamRow> {
  const row = await findUpstream(services, id);
  await forgetMirror(services, id);
  await services.db.orm.delete(upstreams).where(eq(upstreams.id, id));
  await changed(services, id);
  return row;
}

/** Removes an upstream's mirrored documents and archives (rows, then blobs) and its changes-feed position. */
async function forgetMirror(services: Services, upstreamId: number): Promise<void> {
  const { orm } = services.db;
  const [docs, dists] = await Promise.all([
    orm.select({ bodyKey: mirrorDocuments.bodyKey, distsKey: mirrorDocuments.distsKey }).from(mirrorDocuments).where(eq(mirrorDocuments.upstreamId, upstreamId)).all(),
    orm.select({ name: mirrorDists.name, reference: mirrorDists.reference }).from(mirrorDists).where(eq(mirrorDists.upstreamId, upstreamId)).all(),
  ]);
  await services.db.batch([
    orm.delete(mirrorDocuments).where(eq(mirrorDocuments.upstreamId, upstreamId)),
    orm.delete(mirrorDists).where(eq(mirrorDists.upstreamId, upstreamId)),
    orm.delete(meta).where(eq(meta.key, changesStateKey(upstreamId))),
  ]);
  const keys = docs.flatMap((doc) => [doc.bodyKey, doc.distsKey]).filter((key): key is string => key !== null);
  keys.push(...dists.map((dist) => mirrorDistKey(upstreamId, dist.name, dist.reference)));
  await services.blobs.delete([...new Set(keys)]);
}

export async function approvals(services: Services, upstreamId: number) {
  await findUpstream(services, upstreamId);
  const rows = await services.db.orm.select().from(upstreamApprovals).where(eq(upstreamApprovals.upstreamId, upstreamId)).orderBy(upstreamApprovals.pattern).all();
  return rows.map((row) => ({ pattern: row.pattern, createdAt: new Date(row.createdAt).toISOString() }));
}

export async function approve(services: Services, upstreamId: number, pattern: string): Promise<boolean> {
  await findUpstream(services, upstreamId);
  const inserted = await services.db.orm.insert(upstreamApprovals).values({ upstreamId, pattern, createdAt: services.now() }).onConflictDoNothing().returning().get();
  await changed(services);
  return inserted !== undefined;
}

export async function revokeApproval(services: Services, upstreamId: number, pattern: string): Promise<void> {
  await findUpstream(services, upstreamId);
  const row = await services.db.orm.delete(upstreamApprovals).where(and(eq(upstreamApprovals.upstreamId, upstreamId), eq(upstreamApprovals.pattern, pattern))).returning().get();
  if (!row) throw notFound(`"${pattern}" is not approved for this upstream.`);
  await changed(services);
}

export async function proxyAccess(services: Services): Promise<{ policy: ProxyPolicy; groups: number[] }> {
  const settings = await services.upstreams.proxy.registry.settings(services.now());
  return { policy: settings.policy, groups: [...settings.accessGroups].sort((a, b) => a - b) };
}

export async function saveProxyAccess(services: Services, policy: ProxyPolicy, groupIds: number[]): Promise<void> {
  const { db } = services;
  const statements: BatchStatement[] = [
    db.orm.insert(meta).values({ key: PROXY_POLICY_KEY, value: policy }).onConflictDoUpdate({ target: meta.key, set: { value: policy } }),
    db.orm.delete(proxyAccessGroups),
    ...groupIds.map((groupId) => db.orm.insert(proxyAccessGroups).values({ groupId })),
  ];
  await db.batch(statements as [BatchStatement, ...BatchStatement[]]);
  await changed(services);
}

/** Private names that an upstream also has: private wins, the admin should know. */
export async function clashes(services: Services): Promise<{ name: string; upstreamId: number; upstream: string }[]> {
  const rows = await services.db.orm
    .select({ name: mirrorDocuments.name, upstreamId: upstreams.id, upstream: upstreams.name })
    .from(mirrorDocuments)
    .innerJoin(packages, eq(packages.name, mirrorDocuments.name))
    .innerJoin(upstreams, eq(upstreams.id, mirrorDocuments.upstreamId))
    .where(eq(mirrorDocuments.status, "found"))
    .groupBy(mirrorDocuments.name, upstreams.id)
    .all();
  return rows;
}

/** Asks the upstreams about (up to `limit`) private names, so that clashes show up. */
export async function checkClashes(services: Services, limit = 200): Promise<number> {
  const now = services.now();
  const { upstreams: list } = await services.upstreams.proxy.registry.settings(now);
  const names = await services.db.orm.select({ name: packages.name }).from(packages).orderBy(packages.name).limit(limit).all();
  for (const upstream of list) for (const { name } of names) await services.upstreams.proxy.store.lookup(upstream, name, "tags", now);
  return names.length;
}

export interface CacheState {
  documents: number;
  missing: number;
  bytes: number;
  dists: number;
  distBytes: number;
}

export async function cacheStates(services: Services, ids: number[]): Promise<Map<number, CacheState>> {
  const { orm } = services.db;
  const states = new Map<number, CacheState>(ids.map((id) => [id, { documents: 0, missing: 0, bytes: 0, dists: 0, distBytes: 0 }]));
  if (ids.length === 0) return states;
  const docs = await orm
    .select({ id: mirrorDocuments.upstreamId, found: sql<number>`sum(case when ${mirrorDocuments.status} = 'found' then 1 else 0 end)`, missing: sql<number>`sum(case when ${mirrorDocuments.status} = 'missing' then 1 else 0 end)`, bytes: sql<number>`coalesce(sum(${mirrorDocuments.size}), 0)` })
    .from(mirrorDocuments)
    .where(inArray(mirrorDocuments.upstreamId, ids.slice(0, 90)))
    .groupBy(mirrorDocuments.upstreamId)
    .all();
  const dists = await orm
    .select({ id: mirrorDists.upstreamId, count: sql<number>`count(*)`, bytes: sql<number>`coalesce(sum(${mirrorDists.size}), 0)` })
    .from(mirrorDists)
    .where(inArray(mirrorDists.upstreamId, ids.slice(0, 90)))
    .groupBy(mirrorDists.upstreamId)
    .all();
  for (const doc of docs) Object.assign(states.get(doc.id) ?? {}, { documents: Number(doc.found), missing: Number(doc.missing), bytes: Number(doc.bytes) });
  for (const dist of dists) Object.assign(states.get(dist.id) ?? {}, { dists: Number(dist.count), distBytes: Number(dist.bytes) });
  return states;
}

export function upstreamView(row: UpstreamRow, cache?: CacheState) {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    priority: row.priority,
    username: row.username,
    hasPassword: row.passwordEnc !== null,
    hasBearer: row.bearerEnc !== null,
    cacheDists: row.cacheDists,
    strict: row.strict,
    createdAt: new Date(row.createdAt).toISOString(),
    lastSyncAt: isoOrNull(row.lastSyncAt),
    lastError: row.lastError,
    lastErrorAt: isoOrNull(row.lastErrorAt),
    stats: { hits: row.hits, misses: row.misses, upstreamRequests: row.upstreamRequests, ...(cache ?? {}) },
  };
}
