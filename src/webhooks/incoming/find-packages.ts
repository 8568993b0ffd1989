// The VCS packages a hook's repository URLs name, whatever spelling each was registered with.
// A LIKE on the repository's name narrows the rows read; the keys decide.
import { decodeVcsRepository } from "../../packages/vcs-repository.ts";
import { and, eq, or, sql } from "drizzle-orm";
import { packages } from "../../db/schema.ts";
import type { Services } from "../../services.ts";
import { repositoryKey, repositoryName } from "./repository-key.ts";

export interface HookedPackage {
  id: number;
  name: string;
  /** Set in the package's settings: the hook is answered but queues nothing for it. */
  updatesDisabled: boolean;
}

export async function packagesForRepositories(services: Services, urls: string[]): Promise<HookedPackage[]> {
  const keys = new Set(urls.map(repositoryKey).filter((key): key is string => key !== null));
  if (keys.size === 0) return [];
  const names = [...new Set([...keys].map(repositoryName))].slice(0, 10);
  const rows = await services.db.orm
    .select({ id: packages.id, name: packages.name, repository: packages.repository, updatesDisabled: packages.updatesDisabled })
    .from(packages)
    .where(and(eq(packages.kind, "vcs"), or(...names.map((name) => sql`lower(${packages.repository}) like ${`%${escapeLike(name)}%`} escape '\\'`))))
    .all();
  return rows.filter((row) => row.repository !== null && keys.has(repositoryKey(decodeVcsRepository(row.repository).url) ?? "")).map(({ id, name, updatesDisabled }) => ({ id, name, updatesDisabled }));
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
