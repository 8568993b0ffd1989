// Trusted publishers: which CI identity (issuer, audience, claims) may publish which package.
import { asc, eq } from "drizzle-orm";
import { trustedPublishers } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export interface TrustedPublisher {
  id: number;
  packageName: string;
  issuer: string;
  audience: string;
  claims: Record<string, string>;
  createdBy: number;
  createdAt: number;
}

export type NewTrustedPublisher = Omit<TrustedPublisher, "id" | "createdAt">;

export class TrustedPublisherStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async declare(input: NewTrustedPublisher, now: number): Promise<TrustedPublisher> {
    const [row] = await this.#db.orm.insert(trustedPublishers).values({ ...input, createdAt: now }).returning();
    if (!row) throw new Error("the trusted publisher was not stored");
    return row;
  }

  /** Every declaration, or those of one package; oldest first. */
  list(packageName?: string): Promise<TrustedPublisher[]> {
    const query = this.#db.orm.select().from(trustedPublishers);
    const filtered = packageName === undefined ? query : query.where(eq(trustedPublishers.packageName, packageName));
    return filtered.orderBy(asc(trustedPublishers.id)).all();
  }

  /** The declarations that trust tokens from this issuer (the only issuers Satchel ever contacts). */
  forIssuer(issuer: string): Promise<TrustedPublisher[]> {
    return this.#db.orm.select().from(trustedPublishers).where(eq(trustedPublishers.issuer, issuer)).orderBy(asc(trustedPublishers.id)).all();
  }

  async remove(id: number): Promise<boolean> {
    const rows = await this.#db.orm.delete(trustedPublishers).where(eq(trustedPublishers.id, id)).returning({ id: trustedPublishers.id });
    return rows.length > 0;
  }
}
