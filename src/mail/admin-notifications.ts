// Mail to every admin with an email address (failed updates): queued in the outbox, so the
// request that noticed the failure does not wait for the mail server.
import type { Database } from "../ports.ts";
import { adminEmails } from "../users/user-store.ts";
import { queueMail } from "./mail-outbox-store.ts";

export async function notifyAdmins(deps: { db: Database; now: () => number }, subject: string, text: string): Promise<number> {
  const queued = await queueMail(deps, (await adminEmails(deps.db)).map((to) => ({ to, subject, text })));
  return queued.length;
}
