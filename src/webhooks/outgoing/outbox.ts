// Sending queued deliveries. A sender claims due rows in one statement (so two isolates or
// processes never send the same attempt), sends them in parallel, each bounded by a timeout,
// and records every attempt. Network errors, timeouts, 408, 429 and 5xx are retried with
// exponential backoff: 8 attempts over about 8 hours. A crashed sender's claim expires.
import { SecretBox } from "../../credentials/secret-box.ts";
import { readBoundedBytes } from "../../http/bounded-body.ts";
import type { Services } from "../../services.ts";
import { hmacSha256Hex } from "../../crypto/hmac.ts";
import { webhookConfig } from "../webhook-config.ts";
import { claimDueDeliveries, recordAttempt, sealedHookSecrets, type DeliveryRow } from "./outbox-store.ts";
import { allowedHosts, checkTarget } from "./target-guard.ts";

/** Waits before attempts 2..8: 1 min, 5 min, 15 min, 30 min, 1 h, 2 h, 4 h. */
export const RETRY_DELAYS_MS = [1, 5, 15, 30, 60, 120, 240].map((minutes) => minutes * 60_000);
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1;
// A drain sends at most ROUNDS x BATCH deliveries: a Worker invocation on the Free plan may
// make 50 subrequests and 50 D1 queries. What is left waits for the next drain (cron: a minute).
const BATCH = 10;
const ROUNDS = 3;
const PARALLEL = 8;
const EXCERPT_BYTES = 1000;

interface Outcome {
  ok: boolean;
  retry: boolean;
  status: number | null;
  excerpt: string | null;
  error: string | null;
}

/** Sends what is due (or only `ids`); returns how many attempts were made. */
export async function drainOutbox(services: Services, ids?: string[]): Promise<number> {
  let sent = 0;
  for (let round = 0; round < ROUNDS; round++) {
    const claimed = await claimDue(services, ids);
    if (claimed.length === 0) break;
    const allowed = await allowedHosts(services);
    const secrets = await hookSecrets(services, claimed);
    const queue = [...claimed];
    const worker = async () => {
      for (let row = queue.shift(); row; row = queue.shift()) await attempt(services, row, secrets.get(row.hookId), allowed);
    };
    await Promise.all(Array.from({ length: Math.min(PARALLEL, claimed.length) }, worker));
    sent += claimed.length;
  }
  return sent;
}

async function claimDue(services: Services, ids?: string[]): Promise<DeliveryRow[]> {
  const now = services.now();
  const leaseUntil = now + webhookConfig(services.config).timeoutMs + 30_000;
  return claimDueDeliveries(services.db, { now, leaseUntil, limit: BATCH, ids });
}

/** Each hook's secret; a secret that cannot be opened (ENCRYPTION_KEY changed) is left out. */
async function hookSecrets(services: Services, rows: DeliveryRow[]): Promise<Map<number, string>> {
  const hooks = await sealedHookSecrets(services.db, [...new Set(rows.map((row) => row.hookId))]);
  const box = new SecretBox(services.config);
  const opened = await Promise.all(hooks.map(async (hook) => [hook.id, await box.open(hook.secretEnc).catch(() => null)] as const));
  return new Map(opened.filter((entry): entry is readonly [number, string] => entry[1] !== null));
}

async function attempt(services: Services, row: DeliveryRow, secret: string | undefined, allowed: Set<string>): Promise<void> {
  const number = row.attempts + 1;
  const started = Date.now();
  const target = await checkTarget(services, new URL(row.url), allowed);
  const unsigned = "The hook's secret cannot be decrypted (was ENCRYPTION_KEY changed?); set a new secret.";
  const outcome: Outcome = !target.ok
    ? { ok: false, retry: target.retry, status: null, excerpt: null, error: target.reason }
    : secret === undefined
      ? { ok: false, retry: false, status: null, excerpt: null, error: unsigned }
      : await send(services, row, secret, target.allowListed);
  const durationMs = Date.now() - started;
  const now = services.now();
  const finished = outcome.ok || !outcome.retry || number >= MAX_ATTEMPTS;
  await recordAttempt(
    services.db,
    { deliveryId: row.id, attempt: number, at: now, status: outcome.status, durationMs, responseExcerpt: outcome.excerpt, error: outcome.error },
    {
      status: outcome.ok ? "succeeded" : finished ? "failed" : "pending",
      attempts: number,
      nextAttemptAt: finished ? null : now + RETRY_DELAYS_MS[number - 1],
      leaseUntil: null,
      lastStatus: outcome.status,
      lastError: outcome.error,
      finishedAt: finished ? now : null,
    },
  );
}

async function send(services: Services, row: DeliveryRow, secret: string, allowPrivate: boolean): Promise<Outcome> {
  const timeoutMs = webhookConfig(services.config).timeoutMs;
  const timestamp = String(Math.floor(services.now() / 1000));
  const headers: Record<string, string> = {
    ...row.headers,
    "user-agent": "Satchel-Webhooks/1.0",
    "x-satchel-event": row.event,
    "x-satchel-delivery": row.id,
    "x-satchel-timestamp": timestamp,
    // Over the body (as GitHub signs), and over "<timestamp>.<body>" for receivers that reject replays.
    "x-satchel-signature": `sha256=${await hmacSha256Hex(secret, row.body)}`,
    "x-satchel-signature-timestamped": `sha256=${await hmacSha256Hex(secret, `${timestamp}.${row.body}`)}`,
  };
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const response = await services.hooks.send(row.url, { method: row.method, headers, body: row.body, signal }, { allowPrivate });
    const excerpt = await readExcerpt(response);
    const status = response.status;
    if (status >= 200 && status < 300) return { ok: true, retry: false, status, excerpt, error: null };
    if (status >= 300 && status < 400) {
      const location = response.headers.get("location") ?? "";
      return { ok: false, retry: false, status, excerpt, error: `Redirects are not followed (to ${location.slice(0, 200)}): give the hook its final URL.` };
    }
    const retry = status === 408 || status === 429 || status >= 500;
    return { ok: false, retry, status, excerpt, error: `The receiver answered ${status}.` };
  } catch (error) {
    const timedOut = signal.aborted;
    const message = timedOut ? `No answer within ${timeoutMs} ms.` : `Network error: ${error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error)}`;
    return { ok: false, retry: true, status: null, excerpt: null, error: message.slice(0, 500) };
  }
}

/** The first bytes of the answer; the rest is not read. */
async function readExcerpt(response: Response): Promise<string> {
  return new TextDecoder().decode((await readBoundedBytes(response.body, EXCERPT_BYTES, { truncate: true })) ?? new Uint8Array(0));
}
