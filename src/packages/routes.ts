// The package REST API (Packeton-compatible paths).
import { eq } from "drizzle-orm";
import { Hono } from "hono";
import { canSeePackage, versionFilterFor } from "../acl/visibility.ts";
import { filterVersions } from "../acl/filter-versions.ts";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import { seesAllPackages } from "../auth/roles.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { notFoundFor, packageNameFrom } from "../composer/package-path.ts";
import { withPublicBase, publicBase } from "../composer/public-base.ts";
import { credentials, jobs, packages, versions } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { redactUrl } from "../http/redact.ts";
import { conflict } from "../http/errors.ts";
import { isoOrNull, optionalBoolean, optionalString, readJsonObject, requiredString } from "../http/json-body.ts";
import { jobView } from "../jobs/queue.ts";
import { deletePackage } from "./delete-package.ts";
import { applyPackageChanges, credentialsIdFrom, submitVcsPackage } from "./package-changes.ts";
import { listColumns, type ListedPackage, type PackageRow } from "./package-rows.ts";
import { uploadArtifact } from "./upload.ts";

export function packageRoutes() {
  const api = new Hono<AppEnv>();

  api.get("/packages", requireScope("metadata:read"), async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const rows = await services.db.orm.select(listColumns).from(packages).orderBy(packages.name).all();
    const visible = rows.filter((row) => canSeePackage(principal, row));
    return c.json({ packages: visible.map((row) => packageView(row, seesAllPackages(principal.roles))) });
  });

  api.get("/packages/:vendor/:name", requireScope("metadata:read"), async (c) => {
    const services = c.get("services");
    const principal = currentPrincipal(c);
    const row = await findPackage(services, c.req.param("vendor"), c.req.param("name"));
    const filter = row ? versionFilterFor(principal, row) : null;
    if (!row || !filter) throw notFoundFor(`${c.req.param("vendor")}/${c.req.param("name")}`);
    const versionRows = await services.db.orm.select({ data: versions.data }).from(versions).where(eq(versions.packageId, row.id)).all();
    const base = publicBase(c, services.config.publicUrl);
    const entries = filterVersions(versionRows.map((v) => JSON.parse(withPublicBase(v.data, base)) as VersionEntry), filter);
    // The README only here: the listing stays small.
    return c.json({ ...packageView(row, seesAllPackages(principal.roles)), readme: row.readme, versions: entries });
  });

  api.put("/packages/:vendor/:name", requireScope("packages:write"), async (c) => {
    const services = c.get("services");
    const row = await findPackage(services, c.req.param("vendor"), c.req.param("name"));
    if (!row) throw notFoundFor(`${c.req.param("vendor")}/${c.req.param("name")}`);
    return c.json(packageView(await applyPackageChanges(services, row, await readJsonObject(c)), true));
  });

  api.delete("/packages/:vendor/:name", requireScope("packages:write"), async (c) => {
    const services = c.get("services");
    const row = await findPackage(services, c.req.param("vendor"), c.req.param("name"));
    if (!row) throw notFoundFor(`${c.req.param("vendor")}/${c.req.param("name")}`);
    await deletePackage(services, row, { username: currentPrincipal(c).username });
    return c.body(null, 204);
  });

  api.put("/packages/upload/:vendor/:name/:version", requireScope("packages:write"), uploadArtifact);
  api.post("/packages/upload/:vendor/:name/:version", requireScope("packages:write"), uploadArtifact);

  api.post("/create-package", requireScope("packages:write"), async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const job = await submitVcsPackage(services, requiredString(body, "repository", 2048), await credentialsIdFrom(services, body), {
      installWebhook: optionalBoolean(body, "installWebhook"),
      vcs: body,
    });
    return c.json({ job: job.id, status: job.status }, 202);
  });

  api.get("/jobs/:id", requireScope("packages:write"), async (c) => {
    const job = await c.get("services").db.orm.select().from(jobs).where(eq(jobs.id, c.req.param("id"))).get();
    if (!job) throw notFoundFor(`job ${c.req.param("id").slice(0, 40)}`);
    return c.json(jobView(job));
  });

  return api;
}

async function findPackage(services: Services, vendor: string, name: string): Promise<PackageRow | undefined> {
  const full = packageNameFrom(vendor, name);
  return services.db.orm.select().from(packages).where(eq(packages.name, full)).get();
}

export function packageView(row: ListedPackage, showSource: boolean) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    // Credentials embedded in a repository URL are never shown back.
    ...(showSource ? { repository: row.repository && redactUrl(row.repository), credentials: row.credentialsId } : {}),
    description: row.description,
    type: row.packageType,
    public: row.isPublic,
    abandoned: row.abandoned === null ? false : row.abandoned || true,
    updatesDisabled: row.updatesDisabled,
    createdAt: new Date(row.createdAt).toISOString(),
    crawledAt: isoOrNull(row.crawledAt),
    ...(showSource && row.updateError ? { updateError: row.updateError } : {}),
  };
}
