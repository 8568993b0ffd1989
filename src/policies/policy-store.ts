// The instance's distribution policies, one JSON value in `meta`: the Composer plugin allowlist
// and the minimum Composer client version. A change to the allowlist moves the versions revision
// of every package with a plugin version in the same batch, so their documents are rebuilt (and a
// process stopped before the rebuild leaves them stale, which the scheduled pass repairs).
import { eq, inArray, like, sql } from "drizzle-orm";
import { tickClock, touchCatalog } from "../db/clock.ts";
import { meta, packages, versions } from "../db/schema.ts";
import type { StoreDeps } from "../db/store-deps.ts";
import type { BatchStatement, Database } from "../ports.ts";

export interface Policies {
  /** Off: every plugin is served. On: only plugins whose name matches `allowed` (names or `vendor/*`). */
  pluginAllowlist: { enabled: boolean; allowed: string[] };
  /** A Composer version such as `2.7.0`; older clients are refused (null: any). */
  minimumComposerVersion: string | null;
}

export const DEFAULT_POLICIES: Policies = { pluginAllowlist: { enabled: false, allowed: [] }, minimumComposerVersion: null };

/** The `meta` key the policies are stored under (the catalog snapshot reads it with its clock). */
export const POLICIES_META_KEY = "policies";

export async function readPolicies(db: Database): Promise<Policies> {
  const row = await db.orm.select({ value: meta.value }).from(meta).where(eq(meta.key, POLICIES_META_KEY)).get();
  return policiesFrom(row?.value);
}

/** The policies stored as `value` (the defaults when none are). */
export function policiesFrom(value: string | undefined): Policies {
  return value ? { ...DEFAULT_POLICIES, ...(JSON.parse(value) as Partial<Policies>) } : DEFAULT_POLICIES;
}

/** Saves the policies; returns the packages whose documents must be rebuilt (their plugin versions changed visibility). */
export async function savePolicies(deps: StoreDeps, policies: Policies, pluginAllowlistChanged: boolean): Promise<number[]> {
  const { db } = deps;
  const value = JSON.stringify(policies);
  const affected = pluginAllowlistChanged ? await packagesWithPluginVersions(db) : [];
  // The allowlist also decides what proxied documents serve: the catalog clock is part of their Last-Modified.
  const statements: BatchStatement[] = [tickClock(db, deps.now()), ...(pluginAllowlistChanged ? [touchCatalog(db)] : []), db.orm.insert(meta).values({ key: POLICIES_META_KEY, value }).onConflictDoUpdate({ target: meta.key, set: { value } })];
  for (let i = 0; i < affected.length; i += 90) {
    statements.push(db.orm.update(packages).set({ versionsRev: sql`${packages.versionsRev} + 1` }).where(inArray(packages.id, affected.slice(i, i + 90))));
  }
  await db.batch(statements as [BatchStatement, ...BatchStatement[]]);
  return affected;
}

/** Packages with at least one version of type composer-plugin (the stored entry is compact JSON). */
async function packagesWithPluginVersions(db: Database): Promise<number[]> {
  const rows = await db.orm.selectDistinct({ id: versions.packageId }).from(versions).where(like(versions.data, '%"type":"composer-plugin"%')).all();
  return rows.map((row) => row.id);
}
