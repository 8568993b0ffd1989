// Saved outgoing hooks and their delivery log: create, update (secrets sealed, shown once),
// the views the API and the pages show, and "send test".
import { desc, eq, inArray, sql } from "drizzle-orm";
import { SecretBox } from "../../credentials/secret-box.ts";
import { webhookAttempts, webhookDeliveries, webhooks } from "../../db/schema.ts";
import { badRequest, conflict, notFound } from "../../http/errors.ts";
import { isoOrNull } from "../../http/json-body.ts";
import type { Database } from "../../ports.ts";
import type { Services } from "../../services.ts";
import { randomSecret } from "../../crypto/hmac.ts";
import { emitEvent, sampleEvent, type EventName } from "./events.ts";
import type { HookSettings } from "./hook-input.ts";
import { drainOutbox } from "./outbox.ts";
import type { HookRow } from "./outbox-store.ts";

/** Every hook by name, with its latest delivery's status and time ("status createdAt"). */
export async function listHooks(db: Database): Promise<{ row: HookRow; last: string | null }[]> {
  const last = sql<string | null>`(select d.status || ' ' || d.created_at from webhook_deliveries d where d.hook_id = "webhooks"."id" order by d.created_at desc limit 1)`;
  return db.orm.select({ row: webhooks, last }).from(webhooks).orderBy(webhooks.name).all();
}

/** The hook with this route id; 404 when there is none. */
export async function readHook(db: Database, id: number): Promise<HookRow> {
  const row = await db.orm.select().from(webhooks).where(eq(webhooks.id, id)).get();
  if (!row) throw notFound("No such webhook.");
  return row;
}

export async function findHookByName(db: Database, name: string): Promise<HookRow | undefined> {
  return db.orm.select().from(webhooks).where(eq(webhooks.name, name)).get();
}

export async function deleteHook(db: Database, id: number): Promise<void> {
  await db.orm.delete(webhooks).where(eq(webhooks.id, id));
}

export function checkSecret(raw: unknown): string | undefined {
  if (raw === undefined || raw === null || raw === "") return undefined;
  if (typeof raw !== "string" || raw.length < 16 || raw.length > 256) throw badRequest('"secret" must be 16 to 256 characters (or left out: Satchel generates one).');
  return raw;
}

/** Saves a new hook; the secret (generated unless given) is returned in the clear this once. */
export async function createHook(services: Services, settings: HookSettings, givenSecret?: string): Promise<{ row: HookRow; secret: string }> {
  const secret = givenSecret ?? randomSecret();
  const secretEnc = await new SecretBox(services.config).seal(secret);
  try {
    const row = await services.db.orm.insert(webhooks).values({ ...settings, secretEnc, createdAt: services.now() }).returning().get();
    return { row, secret };
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`A hook named ${settings.name} already exists.`);
    throw error;
  }
}

/** Saves new settings; a new secret when `rotate` (returned) or given. */
export async function updateHook(services: Services, row: HookRow, settings: HookSettings, secret?: { given?: string; rotate?: boolean }): Promise<{ row: HookRow; secret?: string }> {
  const next = secret?.given ?? (secret?.rotate ? randomSecret() : undefined);
  const secretEnc = next ? await new SecretBox(services.config).seal(next) : row.secretEnc;
  try {
    const updated = await services.db.orm.update(webhooks).set({ ...settings, secretEnc, updatedAt: services.now() }).where(eq(webhooks.id, row.id)).returning().get();
    return { row: updated ?? row, ...(next ? { secret: next } : {}) };
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`A hook named ${settings.name} already exists.`);
    throw error;
  }
}

export function hookSettingsOf(row: HookRow): HookSettings {
  const { name, url, method, events, packageFilter, versionConstraint, headers, template, contentType, active } = row;
  return { name, url, method, events, packageFilter, versionConstraint, headers, template, contentType, active };
}

export function hookView(row: HookRow) {
  return { id: row.id, ...hookSettingsOf(row), createdAt: new Date(row.createdAt).toISOString(), updatedAt: isoOrNull(row.updatedAt) };
}

export async function deliveryLog(services: Services, hookId: number, limit = 50) {
  const rows = await services.db.orm.select().from(webhookDeliveries).where(eq(webhookDeliveries.hookId, hookId)).orderBy(desc(webhookDeliveries.createdAt)).limit(limit).all();
  const attempts = rows.length
    ? await services.db.orm.select().from(webhookAttempts).where(inArray(webhookAttempts.deliveryId, rows.map((row) => row.id))).orderBy(webhookAttempts.attempt).all()
    : [];
  return rows.map((row) => ({
    id: row.id,
    event: row.event,
    status: row.status,
    attempts: row.attempts,
    createdAt: new Date(row.createdAt).toISOString(),
    finishedAt: isoOrNull(row.finishedAt),
    nextAttemptAt: row.status === "pending" ? isoOrNull(row.nextAttemptAt) : null,
    lastStatus: row.lastStatus,
    lastError: row.lastError,
    request: { url: row.url, method: row.method, headers: row.headers, body: row.body.slice(0, 4000) },
    attemptLog: attempts
      .filter((entry) => entry.deliveryId === row.id)
      .map((entry) => ({ attempt: entry.attempt, at: new Date(entry.at).toISOString(), status: entry.status, durationMs: entry.durationMs, response: entry.responseExcerpt, error: entry.error })),
  }));
}

export type DeliveryView = Awaited<ReturnType<typeof deliveryLog>>[number];

/** Sends a sample event of the hook's first event type to this hook now, and returns the delivery. */
export async function sendTest(services: Services, hook: HookRow): Promise<DeliveryView | undefined> {
  const event = { ...sampleEvent(services, (hook.events[0] ?? "new_release") as EventName), test: true };
  const [id] = await emitEvent(services, event, hook);
  if (id) await drainOutbox(services, [id]);
  return (await deliveryLog(services, hook.id, 20)).find((delivery) => delivery.id === id);
}
