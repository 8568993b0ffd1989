// Security monitoring of one repository: its default branch's composer.lock against the
// advisories `composer audit` gets, new alerts announced once (security-alert-store.ts states
// the rule), alerts whose version left the lock resolved. A repository without a lock file
// resolves its alerts; a malformed lock throws (the job fails with the reason) and changes
// nothing.
import type { PackageRow } from "../../packages/package-store.ts";
import type { Services } from "../../services.ts";
import type { RepositoryAccess } from "../repository-access.ts";
import { affectedPackages } from "./affected-packages.ts";
import { announceAlerts } from "./alert-notifications.ts";
import { parseLockFile } from "./lock-file.ts";
import { repositoryKeyOf } from "./package-access.ts";
import { defaultBranchOf, readLockFile } from "./repository-files.ts";
import { recordCurrentAlerts } from "./security-alert-store.ts";

export interface MonitoredRepositoryRef {
  /** The Satchel package this repository is, when it is one (alerts go with it, the hook filter matches it). */
  package?: Pick<PackageRow, "id" | "name" | "repository"> | null;
  /** Known from the push or the integration; asked from the provider otherwise. */
  defaultBranch?: string;
}

export interface LockCheckOutcome {
  branch: string;
  lockFile: boolean;
  affected: number;
  newAlerts: number;
}

export async function checkDefaultBranchLock(services: Services, access: RepositoryAccess, repository: MonitoredRepositoryRef = {}): Promise<LockCheckOutcome> {
  const branch = repository.defaultBranch ?? (await defaultBranchOf(services, access));
  const bytes = await readLockFile(services, access, branch);
  const locked = bytes === null ? [] : parseLockFile(bytes);
  const affected = locked.length ? await affectedPackages(services, locked) : [];
  const pkg = repository.package ?? null;
  const opened = await recordCurrentAlerts(services, { key: repositoryKeyOf(access), name: access.fullName, packageId: pkg?.id ?? null }, affected);
  await announceAlerts(services, access.fullName, pkg, opened);
  return { branch, lockFile: bytes !== null, affected: affected.length, newAlerts: opened.length };
}
