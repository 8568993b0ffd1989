// The outbox's rows: queued deliveries, their attempts, and the hooks they go to. Claiming is
// one statement so two isolates or processes never send the same attempt.
import { and, eq, inArray, sql } from "drizzle-orm";
import { webhookAttempts, webhookDeliveries, webhooks } from "../../db/schema.ts";
import type { BatchStatement, Database } from "../../ports.ts";

export type HookRow = typeof webhooks.$inferSelect;
export type DeliveryRow = typeof webhookDeliveries.$inferSelect;
export type NewDelivery = typeof webhookDeliveries.$inferInsert;
export type NewAttempt = typeof webhookAttempts.$inferInsert;
export type DeliveryOutcome = Pick<DeliveryRow, "status" | "attempts" | "nextAttemptAt" | "leaseUntil" | "lastStatus" | "lastError" | "finishedAt">;

export async function activeHooks(db: Database): Promise<HookRow[]> {
  return db.orm.select().from(webhooks).where(eq(webhooks.active, true)).all();
}

export async function insertDelivery(db: Database, delivery: NewDelivery): Promise<void> {
  await db.orm.insert(webhookDeliveries).values(delivery);
}

/**
 * Inserts of deliveries to run in the batch of the change that raised them, chunked under D1's
 * 100 bound parameters (13 columns x 7 rows).
 */
export function deliveryInserts(db: Database, rows: NewDelivery[]): BatchStatement[] {
  const inserts: BatchStatement[] = [];
  for (let i = 0; i < rows.length; i += 7) inserts.push(db.orm.insert(webhookDeliveries).values(rows.slice(i, i + 7)));
  return inserts;
}

/** Leases up to `limit` due deliveries (pending and due, or sending with an expired lease), oldest due first. */
export async function claimDueDeliveries(db: Database, options: { now: number; leaseUntil: number; limit: number; ids?: string[] }): Promise<DeliveryRow[]> {
  const { now, leaseUntil, limit, ids } = options;
  const only = ids?.length ? sql`and id in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})` : sql``;
  const rows = await db.orm.all<{ id: string }>(sql`
    update webhook_deliveries set status = 'sending', lease_until = ${leaseUntil}
    where id in (
      select id from webhook_deliveries
      where ((status = 'pending' and next_attempt_at <= ${now}) or (status = 'sending' and lease_until < ${now})) ${only}
      order by next_attempt_at limit ${limit})
    returning id`);
  if (rows.length === 0) return [];
  return db.orm.select().from(webhookDeliveries).where(inArray(webhookDeliveries.id, rows.map((row) => row.id))).all();
}

/** The sealed secrets of these hooks. */
export async function sealedHookSecrets(db: Database, hookIds: number[]): Promise<{ id: number; secretEnc: string }[]> {
  return db.orm.select({ id: webhooks.id, secretEnc: webhooks.secretEnc }).from(webhooks).where(inArray(webhooks.id, hookIds)).all();
}

/** Logs an attempt and moves its delivery on, if this sender still holds it. */
export async function recordAttempt(db: Database, attempt: NewAttempt, outcome: DeliveryOutcome): Promise<void> {
  await db.batch([
    db.orm.insert(webhookAttempts).values(attempt),
    db.orm
      .update(webhookDeliveries)
      .set(outcome)
      .where(and(eq(webhookDeliveries.id, attempt.deliveryId), eq(webhookDeliveries.status, "sending"))),
  ]);
}
