// The withholding rules of one package as stored now: its flags and the plugin allowlist.
import type { Database } from "../ports.ts";
import { flagsOfPackage } from "./flag-store.ts";
import { readPolicies } from "./policy-store.ts";
import type { WithholdingRules } from "./withholding.ts";

export async function withholdingRulesFor(db: Database, packageId: number): Promise<WithholdingRules> {
  const [flags, policies] = await Promise.all([flagsOfPackage(db, packageId), readPolicies(db)]);
  return { flags, pluginAllowlist: policies.pluginAllowlist };
}
