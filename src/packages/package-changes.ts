// Changes to a package's settings and new VCS packages, shared by the REST API and the admin pages.
import { and, eq, inArray, sql } from "drizzle-orm";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { credentials, jobs, packages } from "../db/schema.ts";
import { badRequest, conflict } from "../http/errors.ts";
import { optionalBoolean, optionalString, requiredString, type JsonObject } from "../http/json-body.ts";
import { enqueueJob, type JobRow } from "../jobs/queue.ts";
import type { Services } from "../services.ts";
import { touchCatalogNow, type PackageRow } from "./package-rows.ts";
import { checkRepositoryUrl } from "./repository-url.ts";

/** Applies a settings document (`public`, `abandoned`, `description`, `repository`, `credentials`, `updatesDisabled`). */
export async function applyPackageChanges(services: Services, row: PackageRow, body: JsonObject): Promise<PackageRow> {
  const changes = await packageChanges(services, body, row);
  if (Object.keys(changes).length) {
    await services.db.orm.update(packages).set(changes).where(eq(packages.id, row.id));
    await touchCatalogNow(services);
  }
  return (await services.db.orm.select().from(packages).where(eq(packages.id, row.id)).get()) ?? row;
}

/** Queues a create-package job for a git URL (the git worker reads it and publishes the versions). */
export async function submitVcsPackage(services: Services, rawRepository: string, credentialsId: number | null, options: { installWebhook?: boolean } = {}): Promise<JobRow> {
  const repository = checkRepositoryUrl(rawRepository, services.config.allowLocalRepos);
  const existing = await services.db.orm.select({ name: packages.name }).from(packages).where(eq(packages.repository, repository)).get();
  if (existing) throw conflict(`${repository} is already registered as ${existing.name}.`, "duplicate_repository");
  // Not yet a package, but on its way: asking twice (an import run again) must not read it twice.
  const pending = await services.db.orm
    .select({ id: jobs.id })
    .from(jobs)
    .where(and(eq(jobs.kind, "create-package"), inArray(jobs.status, ["queued", "running"]), sql`json_extract(${jobs.payload}, '$.repository') = ${repository}`))
    .get();
  if (pending) throw conflict(`${repository} is already being added (job ${pending.id}).`, "duplicate_repository");
  return enqueueJob(services, "create-package", null, { repository, credentialsId, ...(options.installWebhook === false ? { installWebhook: false } : {}) });
}

export async function packageChanges(services: Services, body: JsonObject, row: PackageRow) {
  const changes: Partial<typeof packages.$inferInsert> = {};
  const isPublic = optionalBoolean(body, "public");
  if (isPublic !== undefined) changes.isPublic = isPublic;
  const updatesDisabled = optionalBoolean(body, "updatesDisabled");
  if (updatesDisabled !== undefined) changes.updatesDisabled = updatesDisabled;
  if (body.abandoned !== undefined) {
    const abandoned = body.abandoned;
    if (abandoned === false || abandoned === null) changes.abandoned = null;
    else if (abandoned === true) changes.abandoned = "";
    else if (typeof abandoned === "string" && (abandoned === "" || isValidPackageName(abandoned))) changes.abandoned = abandoned;
    else throw badRequest('"abandoned" must be true, false or the replacement package name.');
  }
  const description = optionalString(body, "description", 1000);
  if (description !== undefined) changes.description = description;
  if (body.repository !== undefined) {
    if (row.kind !== "vcs") throw badRequest("Only VCS packages have a repository.");
    changes.repository = checkRepositoryUrl(requiredString(body, "repository", 2048), services.config.allowLocalRepos);
  }
  if (body.credentials !== undefined) changes.credentialsId = await credentialsIdFrom(services, body);
  return changes;
}

export async function credentialsIdFrom(services: Services, body: JsonObject): Promise<number | null> {
  const id = body.credentials;
  if (id === undefined || id === null) return null;
  if (!Number.isSafeInteger(id)) throw badRequest('"credentials" must be the id of stored credentials.');
  const found = await services.db.orm.select({ id: credentials.id }).from(credentials).where(eq(credentials.id, id as number)).get();
  if (!found) throw badRequest(`No credentials with id ${String(id)}.`);
  return found.id;
}
