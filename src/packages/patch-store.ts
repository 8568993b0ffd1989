// Metadata patches (version-patch.ts) behind domain verbs, one per (package, normalized version).
import { and, eq } from "drizzle-orm";
import { versionPatches } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";
import type { VersionPatch } from "./version-patch.ts";

export interface StoredPatch {
  patch: VersionPatch;
  createdBy: string | null;
  createdAt: number;
}

/** A package's patches by normalized version. */
export async function patchesOf(db: Database, packageId: number): Promise<Map<string, StoredPatch>> {
  const rows = await db.orm.select().from(versionPatches).where(eq(versionPatches.packageId, packageId)).all();
  return new Map(rows.map((row) => [row.versionNormalized, { patch: JSON.parse(row.patch) as VersionPatch, createdBy: row.createdBy, createdAt: row.createdAt }]));
}

/** Statement that sets (or replaces) the patch of one version; run it in the batch that rebuilds the documents. */
export function savePatchStatement(db: Database, packageId: number, versionNormalized: string, patch: VersionPatch, createdBy: string | null, now: number): BatchStatement {
  const values = { patch: JSON.stringify(patch), createdBy, createdAt: now };
  return db.orm
    .insert(versionPatches)
    .values({ packageId, versionNormalized, ...values })
    .onConflictDoUpdate({ target: [versionPatches.packageId, versionPatches.versionNormalized], set: values });
}

export function removePatchStatement(db: Database, packageId: number, versionNormalized: string): BatchStatement {
  return db.orm.delete(versionPatches).where(and(eq(versionPatches.packageId, packageId), eq(versionPatches.versionNormalized, versionNormalized)));
}
