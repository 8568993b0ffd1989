// Replay guard: a delivery id is accepted once. Rows are pruned by the scheduler after the
// retention period, longer than any provider keeps redelivering.
import { webhookReceipts } from "../../db/schema.ts";
import type { Services } from "../../services.ts";

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
