// Stored credentials behind domain verbs: the secret is checked, sealed (AES-GCM) and never
// returned again except to the git worker (openCredential).
import { desc, eq, sql } from "drizzle-orm";
import { credentials } from "../db/schema.ts";
import { badRequest } from "../http/errors.ts";
import type { Database } from "../ports.ts";
import type { Services } from "../services.ts";
import { SecretBox } from "./secret-box.ts";

export const CREDENTIAL_KINDS = ["ssh-key", "github-token", "gitlab-token", "gitea-token", "bitbucket-token", "http-basic"] as const;

export async function saveCredential(services: Services, input: { name: string; kind: string; secret: unknown; publicInfo: string | null }) {
  const { name, kind, secret, publicInfo } = input;
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(kind)) throw badRequest(`"kind" must be one of ${CREDENTIAL_KINDS.join(", ")}.`);
  if (typeof secret !== "string" || secret.length === 0 || secret.length > 32 * 1024) throw badRequest('"secret" is required (at most 32 KB).');
  if (kind === "ssh-key" && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(secret)) throw badRequest('An "ssh-key" secret must be a PEM/OpenSSH private key.');
  const secretEnc = await new SecretBox(services.config).seal(secret);
  return services.db.orm.insert(credentials).values({ name, kind, publicInfo, secretEnc, createdAt: services.now() }).returning().get();
}

export type CredentialRow = typeof credentials.$inferSelect;

export type ListedCredential = Omit<CredentialRow, "secretEnc"> & { usedBy: number };

/** Every stored credential without its secret, newest first, with how many packages use it. */
export async function listCredentials(db: Database): Promise<ListedCredential[]> {
  const rows = await db.orm
    .select({
      id: credentials.id,
      name: credentials.name,
      kind: credentials.kind,
      publicInfo: credentials.publicInfo,
      createdAt: credentials.createdAt,
      usedBy: sql<number>`(select count(*) from packages p where p.credentials_id = "credentials"."id")`,
    })
    .from(credentials)
    .orderBy(desc(credentials.id))
    .all();
  return rows.map((row) => ({ ...row, usedBy: Number(row.usedBy) }));
}

export async function findCredential(db: Database, id: number): Promise<CredentialRow | undefined> {
  return db.orm.select().from(credentials).where(eq(credentials.id, id)).get();
}

/** Deletes a credential; the deleted row, or undefined when there was none. */
export async function deleteCredential(db: Database, id: number): Promise<CredentialRow | undefined> {
  return db.orm.delete(credentials).where(eq(credentials.id, id)).returning().get();
}

/** Replaces a credential's secret (a GitHub App installation token, refreshed before it expires). */
export async function replaceCredentialSecret(services: Pick<Services, "db" | "config">, id: number, secret: string): Promise<void> {
  const secretEnc = await new SecretBox(services.config).seal(secret);
  await services.db.orm.update(credentials).set({ secretEnc }).where(eq(credentials.id, id));
}
