// What the API and the admin page say about a sub-repository: its settings, its Composer URL
// (and its own host's), and the listed names no package has yet.
import { patternsInclude } from "../acl/subrepository-scope.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import type { SubrepositoryRow } from "./subrepository-store.ts";

export interface SubrepositoryView {
  id: number;
  name: string;
  slug: string;
  packages: string[];
  public: boolean;
  hostname?: string;
  /** The Composer repository URL. */
  url: string;
  /** `https://{hostname}`, when it has one. */
  hostUrl?: string;
  /** Listed names (or vendor wildcards) that match no package yet. */
  notYetPresent: string[];
}

export function describeSubrepository(row: SubrepositoryRow, packages: readonly Pick<PackagePointer, "name">[], base: string): SubrepositoryView {
  const names = packages.map((pkg) => pkg.name);
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    packages: row.packages,
    public: row.isPublic,
    ...(row.hostname ? { hostname: row.hostname } : {}),
    url: subrepositoryUrl(base, row.slug),
    ...(row.hostname ? { hostUrl: `${new URL(base).protocol}//${row.hostname}` } : {}),
    notYetPresent: row.packages.filter((pattern) => !names.some((name) => patternsInclude([pattern], name))),
  };
}

export function subrepositoryUrl(base: string, slug: string): string {
  return `${base}/sub/${slug}`;
}
