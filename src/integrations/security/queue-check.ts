// A security check of a monitored package's default branch, run at the edge as a job
// (edge-jobs.ts says why there). Called after a push to it and by the daily pass.
import { findPackage } from "../../packages/package-store.ts";
import type { Services } from "../../services.ts";
import { checkDefaultBranchLock } from "./check-default-branch.ts";
import { edgeJob } from "./edge-jobs.ts";
import { markLockChecked } from "./monitored-package-store.ts";
import { packageRepositoryAccess } from "./package-access.ts";
import type { RepositoryAccess } from "../repository-access.ts";

/** `integrationAccess` and `defaultBranch`: known when an organization integration's hook asks. */
export async function queueSecurityCheck(services: Services, pkg: { id: number; name: string }, trigger: "push" | "schedule", integrationAccess?: RepositoryAccess, defaultBranch?: string): Promise<{ id: string; run: Promise<void> }> {
  return edgeJob(services, "security-check", { package: pkg.name, trigger }, async () => {
    await markLockChecked(services.db, pkg.id, services.now());
    const row = await findPackage(services.db, pkg.id);
    if (!row) throw new Error(`${pkg.name} was deleted.`);
    const access = integrationAccess ?? (await packageRepositoryAccess(services, row));
    if ("missing" in access) throw new Error(access.missing);
    return { ...(await checkDefaultBranchLock(services, access, { package: row, ...(defaultBranch ? { defaultBranch } : {}) })) };
  });
}
