// The private VCS packages Satchel hosts among a lock file's names, with what a compare link
// needs: the repository URL and the kind of its credential (which names the provider of a
// self-hosted repository).
import { and, eq, inArray } from "drizzle-orm";
import { credentials, packages } from "../../db/schema.ts";
import type { Database } from "../../ports.ts";

export interface KnownRepository {
  name: string;
  repository: string;
  credentialKind: string | null;
}

/** Read 90 names at a time (D1 binds at most 100 parameters). */
export async function knownRepositories(db: Database, names: string[]): Promise<KnownRepository[]> {
  const found: KnownRepository[] = [];
  for (let i = 0; i < names.length; i += 90) {
    const rows = await db.orm
      .select({ name: packages.name, repository: packages.repository, credentialKind: credentials.kind })
      .from(packages)
      .leftJoin(credentials, eq(credentials.id, packages.credentialsId))
      .where(and(eq(packages.kind, "vcs"), inArray(packages.name, names.slice(i, i + 90))))
      .all();
    for (const row of rows) if (row.repository) found.push({ name: row.name, repository: row.repository, credentialKind: row.credentialKind });
  }
  return found;
}
