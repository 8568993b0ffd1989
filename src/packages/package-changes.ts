// Changes to a package's settings and new VCS packages, shared by the REST API and the admin pages.
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { findCredential } from "../credentials/credential-store.ts";
import { badRequest, conflict } from "../http/errors.ts";
import { optionalBoolean, optionalString, requiredString, type JsonObject } from "../http/json-body.ts";
import { enqueueJob, pendingCreateJob, type JobRow } from "../jobs/job-store.ts";
import type { Services } from "../services.ts";
import { findPackage, packageNameByRepository, touchCatalogNow, updatePackage, type PackageChanges, type PackageRow } from "./package-store.ts";
import { checkRepositoryUrl } from "./repository-url.ts";

/** Applies a settings document (`public`, `abandoned`, `description`, `repository`, `credentials`, `updatesDisabled`). */
export async function applyPackageChanges(services: Services, row: PackageRow, body: JsonObject): Promise<PackageRow> {
  const changes = await packageChanges(services, body, row);
  if (Object.keys(changes).length) {
    await updatePackage(services.db, row.id, changes);
    await touchCatalogNow(services);
  }
  return (await findPackage(services.db, row.id)) ?? row;
}

/** Queues a create-package job for a git URL (the git worker reads it and publishes the versions). */
export async function submitVcsPackage(services: Services, rawRepository: string, credentialsId: number | null, options: { installWebhook?: boolean } = {}): Promise<JobRow> {
  const repository = checkRepositoryUrl(rawRepository, services.config.allowLocalRepos);
  const existing = await packageNameByRepository(services.db, repository);
  if (existing) throw conflict(`${repository} is already registered as ${existing}.`, "duplicate_repository");
  // Not yet a package, but on its way: asking twice (an import run again) must not read it twice.
  const pending = await pendingCreateJob(services.db, repository);
  if (pending) throw conflict(`${repository} is already being added (job ${pending}).`, "duplicate_repository");
  return enqueueJob(services, "create-package", null, { repository, credentialsId, ...(options.installWebhook === false ? { installWebhook: false } : {}) });
}

export async function packageChanges(services: Services, body: JsonObject, row: PackageRow) {
  const changes: PackageChanges = {};
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
  const found = await findCredential(services.db, id as number);
  if (!found) throw badRequest(`No credentials with id ${String(id)}.`);
  return found.id;
}
