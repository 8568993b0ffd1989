// The mail port: Node sends over SMTP (smtp-mailer.ts, SATCHEL_SMTP_URL); anywhere (Cloudflare
// included) an HTTP mail API or relay can be used instead (http-mailer.ts, SATCHEL_MAIL_API_URL).
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

export interface Mailer {
  /** Rejects when the message was not accepted: the outbox retries it. */
  send(message: MailMessage): Promise<void>;
}
