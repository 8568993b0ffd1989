// Mail over SMTP on Node (SATCHEL_SMTP_URL, e.g. smtp://user:pass@mail.example.com:587 or
// smtps://...:465), with nodemailer.
import { createTransport } from "nodemailer";
import type { Mailer } from "./mailer.ts";

export function smtpMailer(settings: { url: string; from: string; timeoutMs?: number }): Mailer {
  const timeout = settings.timeoutMs ?? 10_000;
  const url = new URL(settings.url);
  for (const [name, value] of [["connectionTimeout", timeout], ["greetingTimeout", timeout], ["socketTimeout", timeout]] as const) url.searchParams.set(name, String(value));
  const transport = createTransport(url.toString());
  return {
    async send(message) {
      await transport.sendMail({ from: settings.from, to: message.to, subject: message.subject, text: message.text });
    },
  };
}
