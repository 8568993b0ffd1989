// The API tokens a user holds (not revoked; expired ones too, until revoked), as the API shows them.
import { listApiTokens, type TokenRow } from "../auth/token-store.ts";
import { isoOrNull } from "../http/json-body.ts";
import type { Database } from "../ports.ts";

export async function apiTokensOf(db: Database, userId: number) {
  return (await listApiTokens(db, userId)).map(tokenView);
}

function tokenView(row: TokenRow) {
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
