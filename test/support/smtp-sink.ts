// A real SMTP server on 127.0.0.1 (npm `smtp-server`) that keeps what it receives, so tests read
// the mail and follow its links; `stop()` and `start()` on the same port make "the mail server
// is down" and "it is back".
import type { AddressInfo } from "node:net";
import { SMTPServer } from "smtp-server";

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
}

export interface SmtpSink {
  url: string;
  received: ReceivedMail[];
  stop(): Promise<void>;
  start(): Promise<void>;
}

export async function startSmtpSink(): Promise<SmtpSink> {
  const received: ReceivedMail[] = [];
  let port = 0;
  let server: SMTPServer;
  const listen = () => {
    server = new SMTPServer({
      authOptional: true,
      disabledCommands: ["STARTTLS"],
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on("data", (chunk: Buffer) => chunks.push(chunk));
        stream.on("end", () => {
          received.push({ from: session.envelope.mailFrom ? session.envelope.mailFrom.address : "", to: session.envelope.rcptTo.map((rcpt) => rcpt.address), raw: Buffer.concat(chunks).toString("utf8") });
          callback();
        });
      },
    });
    return new Promise<void>((resolve) => server.listen(port, "127.0.0.1", () => {
      port = (server.server.address() as AddressInfo).port;
      resolve();
    }));
  };
  await listen();
  return {
    url: `smtp://127.0.0.1:${port}`,
    received,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
    start: listen,
  };
}

/** The first link to `path` in a mail (quoted-printable soft breaks undone). */
export function linkIn(mail: ReceivedMail, path: string): string | null {
  const text = mail.raw.replace(/=\r?\n/g, "").replace(/=3D/g, "=");
  return new RegExp(`https?://[^\\s]+${path}[^\\s]*`).exec(text)?.[0] ?? null;
}
