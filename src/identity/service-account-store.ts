// Service accounts: non-person users (kind `service`) that hold tokens but no password.
import { and, eq, inArray } from "drizzle-orm";
import { userGroups, users } from "../db/schema.ts";
import type { Database } from "../ports.ts";

export interface ServiceAccount {
  id: number;
  username: string;
  roles: string[];
  groups: number[];
  disabled: boolean;
  expiresAt: number | null;
  createdAt: number;
}

const isService = eq(users.kind, "service");

export class ServiceAccountStore {
  readonly #db: Database;

  constructor(db: Database) {
    this.#db = db;
  }

  async list(): Promise<ServiceAccount[]> {
    const rows = await this.#db.orm.select().from(users).where(isService).orderBy(users.id).all();
    return this.#withGroups(rows);
  }

  async find(id: number): Promise<ServiceAccount | null> {
    const rows = await this.#db.orm.select().from(users).where(and(eq(users.id, id), isService)).all();
    return (await this.#withGroups(rows))[0] ?? null;
  }

  async remove(id: number): Promise<boolean> {
    const rows = await this.#db.orm.delete(users).where(and(eq(users.id, id), isService)).returning({ id: users.id });
    return rows.length > 0;
  }

  async #withGroups(rows: (typeof users.$inferSelect)[]): Promise<ServiceAccount[]> {
    if (rows.length === 0) return [];
    const memberships = await this.#db.orm.select().from(userGroups).where(inArray(userGroups.userId, rows.map((row) => row.id))).all();
    return rows.map((row) => ({
      id: row.id,
      username: row.username,
      roles: row.roles,
      groups: memberships.filter((membership) => membership.userId === row.id).map((membership) => membership.groupId),
      disabled: row.disabled,
      expiresAt: row.expiresAt,
      createdAt: row.createdAt,
    }));
  }
}
