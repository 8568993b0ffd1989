// Secrets incoming hooks are checked with, sealed at rest like credentials. A package secret
// authorizes hooks for that package only; an integration secret (no package) for any package,
// of one provider or of all.
import { and, desc, eq, inArray, isNull, or } from "drizzle-orm";
import { SecretBox } from "../../credentials/secret-box.ts";
import { packages, webhookSecrets } from "../../db/schema.ts";
import { badRequest } from "../../http/errors.ts";
import { findPackageByName } from "../../packages/package-store.ts";
import type { Database } from "../../ports.ts";
import type { Services } from "../../services.ts";
import { randomSecret } from "../../crypto/hmac.ts";
import type { ProviderId } from "./providers/provider.ts";

export interface HookSecret {
  id: number;
  packageId: number | null;
  secret: string;
}

export type HookSecretRow = typeof webhookSecrets.$inferSelect;

export async function secretsFor(services: Services, provider: ProviderId, packageIds: number[]): Promise<HookSecret[]> {
  const forPackages = packageIds.length ? or(isNull(webhookSecrets.packageId), inArray(webhookSecrets.packageId, packageIds.slice(0, 90))) : isNull(webhookSecrets.packageId);
  const rows = await services.db.orm
    .select()
    .from(webhookSecrets)
    .where(and(forPackages, or(isNull(webhookSecrets.provider), eq(webhookSecrets.provider, provider))))
    .all();
  const box = new SecretBox(services.config);
  return Promise.all(rows.map(async (row) => ({ id: row.id, packageId: row.packageId, secret: await box.open(row.secretEnc) })));
}

/** Stores a secret (a random one when none is given) and returns it in the clear, once. */
export async function createHookSecret(
  services: Services,
  input: { name: string; packageId: number | null; provider: ProviderId | null; secret?: string },
): Promise<{ row: HookSecretRow; secret: string }> {
  const secret = input.secret ?? randomSecret();
  const secretEnc = await new SecretBox(services.config).seal(secret);
  const row = await services.db.orm
    .insert(webhookSecrets)
    .values({ name: input.name, packageId: input.packageId, provider: input.provider, secretEnc, createdAt: services.now() })
    .returning()
    .get();
  return { row, secret };
}

export interface HookSecretView {
  id: number;
  name: string;
  package: string | null;
  provider: string | null;
  createdAt: string;
}

export async function listHookSecrets(services: Services, packageId?: number): Promise<HookSecretView[]> {
  const rows = await services.db.orm
    .select({ id: webhookSecrets.id, name: webhookSecrets.name, provider: webhookSecrets.provider, createdAt: webhookSecrets.createdAt, package: packages.name })
    .from(webhookSecrets)
    .leftJoin(packages, eq(packages.id, webhookSecrets.packageId))
    .where(packageId === undefined ? undefined : eq(webhookSecrets.packageId, packageId))
    .orderBy(desc(webhookSecrets.id))
    .all();
  return rows.map((row) => ({ ...row, createdAt: new Date(row.createdAt).toISOString() }));
}

/** Checks a secret's settings (from the API or a form): the provider, the package, the secret. */
export async function checkedSecretInput(
  services: Services,
  input: { name?: string; packageName?: string; provider?: string; secret?: string },
): Promise<{ name: string; packageId: number | null; provider: ProviderId | null; secret?: string }> {
  const provider = input.provider ? input.provider.toLowerCase() : null;
  if (provider !== null && !SECRET_PROVIDERS.includes(provider as ProviderId)) throw badRequest(`"provider" must be one of ${SECRET_PROVIDERS.join(", ")}, or left out for every provider.`);
  let packageId: number | null = null;
  if (input.packageName) {
    const row = await findPackageByName(services.db, input.packageName);
    if (!row) throw badRequest(`No package named ${input.packageName.slice(0, 255)}.`);
    packageId = row.id;
  }
  if (input.secret !== undefined && (input.secret.length < 16 || input.secret.length > 256)) throw badRequest('"secret" must be 16 to 256 characters (or left out: Satchel generates one).');
  const name = input.name?.trim() || `${input.packageName ?? "any package"}${provider ? ` (${provider})` : ""}`;
  return { name: name.slice(0, 100), packageId, provider: provider as ProviderId | null, ...(input.secret ? { secret: input.secret } : {}) };
}

export const SECRET_PROVIDERS: readonly ProviderId[] = ["github", "gitlab", "gitea", "bitbucket"];

export async function findHookSecret(db: Database, id: number): Promise<HookSecretRow | undefined> {
  return db.orm.select().from(webhookSecrets).where(eq(webhookSecrets.id, id)).get();
}

/** The deleted row, or undefined when there was none. */
export async function deleteHookSecret(db: Database, id: number): Promise<HookSecretRow | undefined> {
  return db.orm.delete(webhookSecrets).where(eq(webhookSecrets.id, id)).returning().get();
}
