// The API tokens a user holds (not revoked; expired ones too, until revoked), as the API shows them.
import { and, desc, eq, isNull } from "drizzle-orm";
import { tokens } from "../db/schema.ts";
import { isoOrNull } from "../http/json-body.ts";
import type { Database } from "../ports.ts";

export async function apiTokensOf(db: Database, userId: number) {
  const rows = await db.orm
    .select()
    .from(tokens)
    .where(and(eq(tokens.userId, userId), eq(tokens.kind, "api"), isNull(tokens.revokedAt)))
    .orderBy(desc(tokens.id))
    .all();
  return rows.map(tokenView);
}

function tokenView(row: typeof tokens.$inferSelect) {
  return {
    id: row.id,
    name: row.name,
    scopes: row.scopes,
    createdAt: new Date(row.createdAt).toISOString(),
    lastUsedAt: isoOrNull(row.lastUsedAt),
    expiresAt: isoOrNull(row.expiresAt),
    // A trusted-publishing token may write this one package and nothing else.
    ...(row.packageName === null ? {} : { package: row.packageName }),
  };
}
