// Mail to every admin with an email address (failed updates): queued in the outbox, so the
// request that noticed the failure does not wait for the mail server.
import { and, eq, isNotNull, sql } from "drizzle-orm";
import { users } from "../db/schema.ts";
import type { Database } from "../ports.ts";
import { queueMail } from "./mail-outbox.ts";

export async function notifyAdmins(deps: { db: Database; now: () => number }, subject: string, text: string): Promise<number> {
  const admins = await deps.db.orm
    .select({ email: users.email })
    .from(users)
    .where(and(isNotNull(users.email), eq(users.disabled, false), eq(users.kind, "person"), sql`exists (select 1 from json_each(${users.roles}) where value = 'ROLE_ADMIN')`))
    .all();
  const queued = await queueMail(deps, admins.map((admin) => ({ to: admin.email as string, subject, text })));
  return queued.length;
}
