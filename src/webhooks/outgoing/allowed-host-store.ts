// Hosts an admin allows outgoing hooks to reach although they resolve to private addresses.
import { eq } from "drizzle-orm";
import { webhookAllowedHosts } from "../../db/schema.ts";
import type { Database } from "../../ports.ts";

export type AllowedHostRow = typeof webhookAllowedHosts.$inferSelect;

export async function listAllowedHosts(db: Database): Promise<AllowedHostRow[]> {
  return db.orm.select().from(webhookAllowedHosts).orderBy(webhookAllowedHosts.host).all();
}

export async function addAllowedHost(db: Database, host: string, now: number): Promise<void> {
  await db.orm.insert(webhookAllowedHosts).values({ host, createdAt: now }).onConflictDoNothing();
}

/** The removed row, or undefined when the host was not allowed. */
export async function removeAllowedHost(db: Database, host: string): Promise<AllowedHostRow | undefined> {
  return db.orm.delete(webhookAllowedHosts).where(eq(webhookAllowedHosts.host, host)).returning().get();
}
