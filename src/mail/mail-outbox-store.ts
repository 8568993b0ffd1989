// Mail is written to the outbox first and sent right after: an action never fails because the
// mail server is down. Failures are retried with backoff by the scheduled work, and admins see
// what is undelivered and why (GET /api/mail-outbox).
import { and, asc, eq, isNull, lte, lt } from "drizzle-orm";
import { mailOutbox } from "../db/schema.ts";
import type { Database, Logger } from "../ports.ts";
import type { Mailer, MailMessage } from "./mailer.ts";

const BACKOFF_MS = [60_000, 5 * 60_000, 30 * 60_000, 2 * 60 * 60_000, 12 * 60 * 60_000];
export const MAX_MAIL_ATTEMPTS = BACKOFF_MS.length + 1;

export interface MailDeps {
  db: Database;
  mailer?: Mailer;
  now: () => number;
  log: Logger;
}

export type OutboxRow = typeof mailOutbox.$inferSelect;

/** Queues the message and tries it once now; true when it was sent. */
export async function sendMail(deps: MailDeps, message: MailMessage): Promise<boolean> {
  const [row] = await queueMail(deps, [message]);
  return row ? attempt(deps, row) : false;
}

/** Queues messages without sending them (drainMail sends what is due). */
export async function queueMail(deps: Pick<MailDeps, "db" | "now">, messages: MailMessage[]): Promise<OutboxRow[]> {
  if (messages.length === 0) return [];
  const now = deps.now();
  return deps.db.orm.insert(mailOutbox).values(messages.map((message) => ({ recipient: message.to, subject: message.subject, body: message.text, nextAttemptAt: now, createdAt: now }))).returning();
}

/** Retries what is due; the number sent. */
export async function drainMail(deps: MailDeps): Promise<number> {
  const due = await deps.db.orm
    .select()
    .from(mailOutbox)
    .where(and(isNull(mailOutbox.sentAt), lte(mailOutbox.nextAttemptAt, deps.now()), lt(mailOutbox.attempts, MAX_MAIL_ATTEMPTS)))
    .orderBy(asc(mailOutbox.id))
    .limit(50)
    .all();
  let sent = 0;
  for (const row of due) if (await attempt(deps, row)) sent++;
  return sent;
}

export function undeliveredMail(db: Database): Promise<OutboxRow[]> {
  return db.orm.select().from(mailOutbox).where(isNull(mailOutbox.sentAt)).orderBy(asc(mailOutbox.id)).limit(200).all();
}

async function attempt(deps: MailDeps, row: OutboxRow): Promise<boolean> {
  const attempts = row.attempts + 1;
  try {
    if (!deps.mailer) throw new Error("no mail transport is configured (SATCHEL_SMTP_URL or SATCHEL_MAIL_API_URL)");
    await deps.mailer.send({ to: row.recipient, subject: row.subject, text: row.body });
    await deps.db.orm.update(mailOutbox).set({ sentAt: deps.now(), attempts, lastError: null }).where(eq(mailOutbox.id, row.id));
    return true;
  } catch (error) {
    const lastError = (error instanceof Error ? error.message : String(error)).slice(0, 500);
    const nextAttemptAt = deps.now() + (BACKOFF_MS[attempts - 1] ?? BACKOFF_MS.at(-1) ?? 0);
    await deps.db.orm.update(mailOutbox).set({ attempts, lastError, nextAttemptAt }).where(eq(mailOutbox.id, row.id));
    deps.log.warn("mail not sent", { id: row.id, attempts, error: lastError });
    return false;
  }
}
