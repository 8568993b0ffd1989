// Saves new policies and rebuilds the documents they change: a changed plugin allowlist changes
// which plugin versions p2 serves, so every package with a plugin version gets its documents
// rebuilt (views stay derived once, from those documents).
import { rebuildDocuments } from "../packages/rebuild-documents.ts";
import type { Services } from "../services.ts";
import { savePolicies, type Policies } from "./policy-store.ts";

export async function applyPolicies(services: Services, current: Policies, next: Policies): Promise<void> {
  const allowlistChanged = JSON.stringify(current.pluginAllowlist) !== JSON.stringify(next.pluginAllowlist);
  const affected = await savePolicies(services, next, allowlistChanged);
  services.policies.forget();
  services.catalog.invalidate(); // its snapshot carries the policies too
  for (const packageId of affected) await rebuildDocuments(services, packageId);
}
