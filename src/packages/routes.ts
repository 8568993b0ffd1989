// The package REST API (Packeton-compatible paths).
import { Hono } from "hono";
import { versionFilterFor } from "../acl/visibility.ts";
import { publishedTimesOf } from "../acl/published-at.ts";
import { filterVersions } from "../acl/filter-versions.ts";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import { refusePackage, requirePackageWrite, writesPackages } from "../auth/package-write.ts";
import { seesAllPackages } from "../auth/roles.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { notFoundFor } from "../composer/package-path.ts";
import { withPublicBase, publicBase } from "../composer/public-base.ts";
import type { Principal } from "../auth/principal.ts";
import { customDefinitions } from "./custom-store.ts";
import { customPackageRoutes } from "./custom-routes.ts";
import { packageView } from "./package-view.ts";
import { patchesOf } from "./patch-store.ts";
import { patchViews } from "./patch-view.ts";
import { publishedEntry } from "./published-entries.ts";
import { visiblePackages, type VisiblePackage } from "../composer/visible-listing.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { optionalBoolean, readJsonObject, requiredString } from "../http/json-body.ts";
import { packageParam, textParams } from "../http/route-params.ts";
import { withhold } from "../policies/withholding.ts";
import { withholdingRulesFor } from "../policies/withholding-rules.ts";
import { findJob, jobView } from "../jobs/job-store.ts";
import { deletePackage } from "./delete-package.ts";
import { applyPackageChanges, credentialsIdFrom, submitVcsPackage } from "./package-changes.ts";
import { findPackage as findPackageById, findPackageByName, listPackageRows, versionDocuments, type ListedPackage } from "./package-store.ts";
import { uploadArtifact, uploadTargetParams } from "./upload.ts";

export function packageRoutes() {
  const api = new Hono<AppEnv>();

  api.get("/packages", requireScope("metadata:read"), async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const rows = await listPackageRows(services.db);
    const archived = new Set(rows.filter((row) => row.archived).map((row) => row.name));
    const visible = await visiblePackages(services, principal, rows.map((row) => asSeenBy(principal, row)));
    return c.json({ packages: visible.map((listed) => ({ ...packageView(restrictedTo(listed), seesAllPackages(principal.roles)), archived: archived.has(listed.pkg.name) })) });
  });

  api.get("/packages/:vendor/:name", requireScope("metadata:read"), packageParam(), async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const { packageName } = c.req.valid("param");
    const found = await findPackageByName(services.db, packageName);
    const row = found && asSeenBy(principal, found);
    const filter = row ? versionFilterFor(principal, row) : null;
    if (!row || !filter) throw notFoundFor(packageName);
    const versionRows = await versionDocuments(services.db, row.id);
    const base = publicBase(c, services.config.publicUrl);
    const originals = versionRows.map((v) => JSON.parse(withPublicBase(v.data, base)) as VersionEntry);
    const patches = await patchesOf(services.db, row.id);
    // What Composer reads: the patched entries, abandoned as the package is.
    const all = originals.map((entry) => publishedEntry(entry, { abandoned: row.abandoned, patches }));
    const published = publishedTimesOf(row.kind, all.map((entry, i) => ({ entry, createdAt: versionRows[i]?.createdAt ?? 0 })));
    // Flagged versions and plugins not allowed are left out here as in p2 (their flags: /flags).
    const { kept } = withhold(row.name, all, await withholdingRulesFor(services.db, row.id));
    const entries = filterVersions(kept, filter, published);
    const [listed] = await visiblePackages(services, principal, [row]);
    const view = listed ? restrictedTo(listed) : row;
    // The README (the default branch's) only here, and only to who may see that branch.
    const readme = filter.all || listed?.summary?.defaultBranchVisible ? row.readme : null;
    const staff = writesPackages(principal);
    return c.json({
      ...packageView(view, seesAllPackages(principal.roles)),
      archived: found.archived,
      readme,
      versions: entries,
      ...(staff ? { patches: patchViews(originals, patches) } : {}),
      ...(staff && row.kind === "custom" ? { definitions: await customDefinitions(services.db, row.id) } : {}),
    });
  });

  api.put("/packages/:vendor/:name", requireScope("packages:write"), packageParam(), async (c) => {
    const services = c.get("services");
    const { packageName } = c.req.valid("param");
    const row = await findPackageByName(services.db, packageName);
    if (!row) throw notFoundFor(packageName);
    return c.json(packageView(await applyPackageChanges(services, row, await readJsonObject(c)), true));
  });

  api.delete("/packages/:vendor/:name", requireScope("packages:write"), packageParam(), async (c) => {
    const services = c.get("services");
    const { packageName } = c.req.valid("param");
    const row = await findPackageByName(services.db, packageName);
    if (!row) throw notFoundFor(packageName);
    await deletePackage(services, row, { username: currentPrincipal(c).username });
    return c.body(null, 204);
  });

  api.put("/packages/upload/:vendor/:name/:version", requirePackageWrite(), uploadTargetParams(), uploadArtifact);
  api.post("/packages/upload/:vendor/:name/:version", requirePackageWrite(), uploadTargetParams(), uploadArtifact);

  api.route("/", customPackageRoutes());

  api.post("/create-package", requireScope("packages:write"), async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const job = await submitVcsPackage(services, requiredString(body, "repository", 2048), await credentialsIdFrom(services, body), {
      installWebhook: optionalBoolean(body, "installWebhook"),
      vcs: body,
    });
    return c.json({ job: job.id, status: job.status }, 202);
  });

  api.get("/jobs/:id", textParams("id"), async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    if (!writesPackages(principal)) throw refusePackage(principal);
    const jobId = c.req.valid("param").id;
    const job = await findJob(services.db, jobId);
    // A package-confined token sees its package's jobs only; others do not exist for it.
    const visible = job && (principal.scopes.includes("packages:write") || (await jobPackageName(services, job.packageId)) === principal.packageWrite);
    if (!job || !visible) throw notFoundFor(`job ${jobId.slice(0, 40)}`);
    return c.json(jobView(job));
  });

  return api;
}

async function jobPackageName(services: Services, packageId: number | null): Promise<string | undefined> {
  if (packageId === null) return undefined;
  return (await findPackageById(services.db, packageId))?.name;
}

/** Admins and maintainers still see an archived package here (to restore it); Composer readers never do. */
function asSeenBy<P extends ListedPackage>(principal: Principal, row: P): P {
  return row.archived && principal.scopes.includes("packages:write") ? { ...row, archived: false } : row;
}

/** A row as a restricted reader may see it: their versions' text, no crawl time (it moves with hidden publishes). */
function restrictedTo<P extends ListedPackage>({ pkg, filter, description, type }: VisiblePackage<P>): P {
  return filter.all ? pkg : { ...pkg, description, packageType: type, crawledAt: null };
}
