// Identity providers (client secrets sealed at rest) and the provider identities linked to users.
import { and, asc, eq } from "drizzle-orm";
import { SecretBox } from "../credentials/secret-box.ts";
import { identityLinks, identityProviders } from "../db/schema.ts";
import { conflict } from "../http/errors.ts";
import type { Database } from "../ports.ts";

export type IdentityProvider = Omit<typeof identityProviders.$inferSelect, "clientSecretEnc">;
export type ProviderSettings = Omit<IdentityProvider, "id" | "createdAt">;

export class IdentityProviderStore {
  readonly #db: Database;
  readonly #box: SecretBox;

  constructor(db: Database, encryptionKey: string) {
    this.#db = db;
    this.#box = new SecretBox(encryptionKey);
  }

  async list(): Promise<IdentityProvider[]> {
    const rows = await this.#db.orm.select().from(identityProviders).orderBy(asc(identityProviders.id)).all();
    return rows.map(withoutSecret);
  }

  async find(by: { id: number } | { slug: string }): Promise<IdentityProvider | null> {
    const where = "id" in by ? eq(identityProviders.id, by.id) : eq(identityProviders.slug, by.slug);
    const row = await this.#db.orm.select().from(identityProviders).where(where).get();
    return row ? withoutSecret(row) : null;
  }

  /** The client secret, for the token request only. */
  async clientSecret(id: number): Promise<string | null> {
    const row = await this.#db.orm.select({ sealed: identityProviders.clientSecretEnc }).from(identityProviders).where(eq(identityProviders.id, id)).get();
    return row ? this.#box.open(row.sealed) : null;
  }

  /** 409 when the slug is taken. */
  async create(settings: ProviderSettings, clientSecret: string, now: number): Promise<IdentityProvider> {
    const values = { ...settings, clientSecretEnc: await this.#box.seal(clientSecret), createdAt: now };
    const [row] = await this.#db.orm.insert(identityProviders).values(values).onConflictDoNothing().returning();
    if (!row) throw conflict(`The slug "${settings.slug}" is taken.`, "duplicate_slug");
    return withoutSecret(row);
  }

  /** Changes the settings given; the secret only when a new one is given. */
  async update(id: number, settings: Partial<ProviderSettings>, clientSecret?: string): Promise<IdentityProvider | null> {
    const sealed = clientSecret === undefined ? {} : { clientSecretEnc: await this.#box.seal(clientSecret) };
    const [row] = await this.#db.orm.update(identityProviders).set({ ...settings, ...sealed }).where(eq(identityProviders.id, id)).returning();
    return row ? withoutSecret(row) : null;
  }

  async remove(id: number): Promise<boolean> {
    return (await this.#db.orm.delete(identityProviders).where(eq(identityProviders.id, id)).returning({ id: identityProviders.id })).length > 0;
  }

  async linkedUser(providerId: number, subject: string): Promise<number | null> {
    const row = await this.#db.orm.select({ userId: identityLinks.userId }).from(identityLinks).where(and(eq(identityLinks.providerId, providerId), eq(identityLinks.subject, subject))).get();
    return row?.userId ?? null;
  }

  /** Links the identity to the user; false when it is already linked (to anyone). */
  async link(providerId: number, subject: string, userId: number, now: number): Promise<boolean> {
    const rows = await this.#db.orm.insert(identityLinks).values({ providerId, subject, userId, createdAt: now }).onConflictDoNothing().returning({ id: identityLinks.id });
    return rows.length > 0;
  }

  async providersLinkedTo(userId: number): Promise<number[]> {
    const rows = await this.#db.orm.select({ providerId: identityLinks.providerId }).from(identityLinks).where(eq(identityLinks.userId, userId)).all();
    return rows.map((row) => row.providerId);
  }
}

function withoutSecret({ clientSecretEnc: _sealed, ...provider }: typeof identityProviders.$inferSelect): IdentityProvider {
  return provider;
}
