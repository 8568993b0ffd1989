// Replay guard: a delivery id is accepted once, and so is a signed body (its signature stays
// valid whatever delivery id a replay puts beside it), kept as the receipt `sha256:<hex>`.
// Rows are pruned by the scheduler after the retention period, longer than any provider keeps
// redelivering.
import { sha256Hex } from "../../crypto/digest.ts";
import { webhookReceipts } from "../../db/schema.ts";
import type { Services } from "../../services.ts";

/** Why this delivery was already received, or null the first time it is seen. */
export async function repeatedDelivery(services: Services, provider: string, deliveryId: string | undefined, signedBody: Uint8Array | null): Promise<string | null> {
  if (deliveryId && !(await firstReceipt(services, provider, deliveryId))) return `A duplicate: delivery ${deliveryId.slice(0, 100)} was already received.`;
  if (signedBody && !(await firstReceipt(services, provider, `sha256:${await sha256Hex(signedBody)}`))) {
    return "A duplicate: this signed payload was already received under another delivery id.";
  }
  return null;
}

/** True the first time (provider, deliveryId) is seen. */
export async function firstReceipt(services: Services, provider: string, deliveryId: string): Promise<boolean> {
  const row = await services.db.orm
    .insert(webhookReceipts)
    .values({ provider, deliveryId: deliveryId.slice(0, 200), receivedAt: services.now() })
    .onConflictDoNothing()
    .returning({ provider: webhookReceipts.provider })
    .get();
  return row !== undefined;
}
