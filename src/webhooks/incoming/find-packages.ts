// The VCS packages a hook's repository URLs name, whatever spelling each was registered with.
// A LIKE on the repository's name narrows the rows read; the keys decide.
import { vcsPackagesNaming } from "../../packages/package-store.ts";
import { decodeVcsRepository } from "../../packages/vcs-repository.ts";
import type { Services } from "../../services.ts";
import { repositoryKey, repositoryName } from "./repository-key.ts";

export interface HookedPackage {
  id: number;
  name: string;
  /** Set in the package's settings: the hook is answered but queues nothing for it. */
  updatesDisabled: boolean;
  /** Its pull requests get a composer.lock review. */
  reviewLockFiles: boolean;
  /** Its default branch's composer.lock is checked against advisories after each push. */
  application: boolean;
}

export async function packagesForRepositories(services: Services, urls: string[]): Promise<HookedPackage[]> {
  const keys = new Set(urls.map(repositoryKey).filter((key): key is string => key !== null));
  if (keys.size === 0) return [];
  const names = [...new Set([...keys].map(repositoryName))].slice(0, 10);
  const rows = await vcsPackagesNaming(services.db, names);
  return rows.filter((row) => row.repository !== null && keys.has(repositoryKey(decodeVcsRepository(row.repository).url) ?? "")).map(({ id, name, updatesDisabled, reviewLockFiles, application }) => ({ id, name, updatesDisabled, reviewLockFiles, application }));
}
