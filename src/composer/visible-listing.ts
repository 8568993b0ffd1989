// The packages a principal may see, each with the description and type of the versions they
// may see: for everyone whose filter admits every version that is the package row; for a
// restricted reader it is derived from their visible versions (never the newest release's).
import { versionFilterFor, type VersionFilter } from "../acl/visibility.ts";
import type { Principal } from "../auth/principal.ts";
import type { PackagePointer } from "../packages/catalog.ts";
import type { Services } from "../services.ts";
import type { PackageSummary } from "./package-summary.ts";

export interface VisiblePackage<P extends PackagePointer> {
  pkg: P;
  filter: VersionFilter;
  description: string | null;
  type: string | null;
  /** Only for restricted readers (computing it for a full reader would load every document). */
  summary: PackageSummary | null;
}

export async function visiblePackages<P extends PackagePointer>(services: Services, principal: Principal, packages: readonly P[]): Promise<VisiblePackage<P>[]> {
  const listed: VisiblePackage<P>[] = [];
  for (const pkg of packages) {
    const filter = versionFilterFor(principal, pkg);
    if (!filter) continue;
    if (filter.all) {
      listed.push({ pkg, filter, description: pkg.description, type: pkg.packageType, summary: null });
      continue;
    }
    const summary = await services.metadata.summary(pkg, filter);
    listed.push({ pkg, filter, description: summary.description, type: summary.type, summary });
  }
  return listed;
}
