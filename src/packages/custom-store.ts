// Custom packages' version definitions (custom-definition.ts) behind domain verbs; the versions
// rows built from them are written in the same batch.
import { and, asc, eq } from "drizzle-orm";
import { customVersions } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";

/** A custom package's definitions as given, in the order they were first defined. */
export async function customDefinitions(db: Database, packageId: number): Promise<Record<string, unknown>[]> {
  const rows = await db.orm.select({ definition: customVersions.definition }).from(customVersions).where(eq(customVersions.packageId, packageId)).orderBy(asc(customVersions.id)).all();
  return rows.map((row) => JSON.parse(row.definition) as Record<string, unknown>);
}

export function saveDefinitionStatement(db: Database, packageId: number, versionNormalized: string, definition: Record<string, unknown>): BatchStatement {
  const text = JSON.stringify(definition);
  return db.orm
    .insert(customVersions)
    .values({ packageId, versionNormalized, definition: text })
    .onConflictDoUpdate({ target: [customVersions.packageId, customVersions.versionNormalized], set: { definition: text } });
}

export function removeDefinitionStatement(db: Database, packageId: number, versionNormalized: string): BatchStatement {
  return db.orm.delete(customVersions).where(and(eq(customVersions.packageId, packageId), eq(customVersions.versionNormalized, versionNormalized)));
}
