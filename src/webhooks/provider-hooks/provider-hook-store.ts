// Webhooks Satchel installed on a provider's repository (GitHub, GitLab), so they can be
// removed with the package.
import { eq } from "drizzle-orm";
import { providerHooks } from "../../db/schema.ts";
import type { Database } from "../../ports.ts";

export type ProviderHookRow = typeof providerHooks.$inferSelect;

/** Records an installed hook (a package keeps its first one). */
export async function saveProviderHook(db: Database, hook: typeof providerHooks.$inferInsert): Promise<void> {
  await db.orm.insert(providerHooks).values(hook).onConflictDoNothing();
}

export async function providerHookOf(db: Database, packageId: number): Promise<ProviderHookRow | undefined> {
  return db.orm.select().from(providerHooks).where(eq(providerHooks.packageId, packageId)).get();
}
