// Mail through an HTTP mail API or relay (Cloudflare has no SMTP client): POST {from, to,
// subject, text} as JSON with a Bearer token; any 2xx is accepted.
import type { Mailer } from "./mailer.ts";

export function httpMailer(fetcher: typeof fetch, settings: { url: string; token?: string; from: string }): Mailer {
  return {
    async send(message) {
      const response = await fetcher(settings.url, {
        method: "POST",
        headers: { "content-type": "application/json", ...(settings.token ? { authorization: `Bearer ${settings.token}` } : {}) },
        body: JSON.stringify({ from: settings.from, ...message }),
        signal: AbortSignal.timeout(10_000),
      });
      await response.body?.cancel();
      if (!response.ok) throw new Error(`the mail API answered HTTP ${response.status}`);
    },
  };
}
