// POST /api/invitations (admins): a customer account without a password, and a mail with a link
// to choose one (it works once, for 7 days). GET /api/mail-outbox (admins): mail not delivered
// yet and why; bodies are never shown (they carry links).
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { publicBase } from "../composer/public-base.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest } from "../http/errors.ts";
import { isoOrNull, readJsonObject } from "../http/json-body.ts";
import { undeliveredMail, sendMail } from "../mail/mail-outbox-store.ts";
import { saveUser } from "../users/user-store.ts";
import { readUserInput } from "../users/user-input.ts";
import { createLink } from "./one-time-link-store.ts";

export const INVITATION_LIFETIME_MS = 7 * 86_400_000;

export function invitationRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/invitations", requireScope("admin"));
  api.use("/mail-outbox", requireScope("admin"));

  api.post("/invitations", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    if (body.password !== undefined) throw badRequest("An invited customer chooses their own password.", "invalid_invitation");
    const email = typeof body.email === "string" ? body.email.trim() : "";
    const input = readUserInput({ ...body, email, username: body.username ?? email.split("@")[0] }, true);
    if (!input.email) throw badRequest('"email" is required: the invitation is mailed there.', "invalid_invitation");
    const userId = await saveUser(services, null, input);
    const base = publicBase(c, services.config.publicUrl);
    const token = await createLink(services.db, "invite", userId, services.now(), INVITATION_LIFETIME_MS);
    const sent = await sendMail(services, {
      to: input.email,
      subject: "Your Satchel account",
      text: `You are invited to the Composer repository at ${base} as "${input.username}".\n\nChoose your password here (the link works once, for 7 days):\n${base}/invite/${token}\n`,
    });
    return c.json({ user: { id: userId, username: input.username, email: input.email }, mail: sent ? "sent" : "queued" }, 201);
  });

  api.get("/mail-outbox", async (c) => {
    const rows = await undeliveredMail(c.get("services").db);
    return c.json({
      mail: rows.map((row) => ({ id: row.id, to: row.recipient, subject: row.subject, attempts: row.attempts, lastError: row.lastError, nextAttemptAt: isoOrNull(row.nextAttemptAt), createdAt: new Date(row.createdAt).toISOString() })),
    });
  });

  return api;
}
