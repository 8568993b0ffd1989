// The tokens table behind domain verbs. Issuing and revoking are single statements on purpose
// (see api-tokens.ts): a child can never be written under a revoked parent, and a revocation
// never misses a child inserted halfway.
import { and, desc, eq, gt, inArray, isNull, ne, or, sql } from "drizzle-orm";
import { chunk } from "../db/batched-writer.ts";
import { tokens } from "../db/schema.ts";
import type { BatchStatement, Database } from "../ports.ts";
import type { TokenKind } from "./jwt.ts";

export type TokenRow = typeof tokens.$inferSelect;

export interface TokenInsert {
  jti: string;
  userId: number;
  name: string;
  scopes: string[];
  kind: TokenKind;
  parentId: number | null;
  createdAt: number;
  expiresAt: number | null;
  /** The package a trusted-publishing token is confined to. */
  packageName: string | null;
  /** The id of the JWT key that signs it (key rotation: old keys verify only their own tokens); null for an opaque API token. */
  kid: string | null;
}

/** Writes the token row unless its parent is no longer live at `createdAt`; its id, or null. */
export async function insertToken(db: Database, input: TokenInsert): Promise<number | null> {
  const [row] = await db.orm.all<{ id: number }>(sql`
    insert into tokens (jti, user_id, name, scopes, kind, parent_id, package_name, created_at, expires_at, kid)
    select ${input.jti}, ${input.userId}, ${input.name}, ${JSON.stringify(input.scopes)}, ${input.kind}, ${input.parentId}, ${input.packageName}, ${input.createdAt}, ${input.expiresAt}, ${input.kid}
    where ${input.parentId} is null or exists (
      select 1 from tokens parent where parent.id = ${input.parentId} and parent.user_id = ${input.userId}
        and parent.revoked_at is null and (parent.expires_at is null or parent.expires_at > ${input.createdAt}))
    returning id`);
  return row ? Number(row.id) : null;
}

export async function tokenByJti(db: Database, jti: string): Promise<TokenRow | undefined> {
  return db.orm.select().from(tokens).where(eq(tokens.jti, jti)).get();
}

/** Revokes a token of `kind` (of `ownerId`, when given) and its descendants; what was revoked. */
export async function revokeTokenFamily(db: Database, tokenId: number, kind: TokenKind, ownerId: number | undefined, now: number): Promise<{ id: number; jti: string }[]> {
  const owner = ownerId === undefined ? sql.empty() : sql` and user_id = ${ownerId}`;
  const rows = await db.orm.all<{ id: number; jti: string }>(sql`
    with recursive family(id) as (
      select id from tokens where id = ${tokenId} and kind = ${kind}${owner}
      union select child.id from tokens child join family on child.parent_id = family.id
    )
    update tokens set revoked_at = coalesce(revoked_at, ${now}) where id in (select id from family)
    returning id, jti`);
  return rows.map((row) => ({ id: Number(row.id), jti: row.jti }));
}

/** A user's unrevoked API tokens, newest first; with `liveAt`, only those unexpired then. */
export async function listApiTokens(db: Database, userId: number, liveAt?: number): Promise<TokenRow[]> {
  const unexpired = liveAt === undefined ? undefined : or(isNull(tokens.expiresAt), gt(tokens.expiresAt, liveAt));
  return db.orm
    .select()
    .from(tokens)
    .where(and(eq(tokens.userId, userId), eq(tokens.kind, "api"), isNull(tokens.revokedAt), unexpired))
    .orderBy(desc(tokens.id))
    .all();
}

/** The ids of a user's open page sessions other than `exceptId`. */
export async function otherSessionIds(db: Database, userId: number, exceptId: number | undefined): Promise<number[]> {
  const rows = await db.orm
    .select({ id: tokens.id })
    .from(tokens)
    .where(and(eq(tokens.userId, userId), eq(tokens.kind, "session"), isNull(tokens.revokedAt), ne(tokens.id, exceptId ?? -1)))
    .all();
  return rows.map((row) => row.id);
}

/** Statements recording last use: one per distinct time, ids chunked under D1's 100-parameter limit. */
export function lastUsedStatements(db: Database, byTime: Map<number, number[]>): BatchStatement[] {
  return [...byTime].flatMap(([at, ids]) =>
    chunk(ids, 90).map((part) => db.orm.update(tokens).set({ lastUsedAt: sql`max(coalesce(${tokens.lastUsedAt}, 0), ${at})` }).where(inArray(tokens.id, part))),
  );
}
