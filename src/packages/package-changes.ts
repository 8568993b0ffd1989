// Changes to a package's settings and new VCS packages, shared by the REST API and the admin pages.
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { findCredential } from "../credentials/credential-store.ts";
import { badRequest, conflict } from "../http/errors.ts";
import { optionalBoolean, optionalString, requiredString, type JsonObject } from "../http/json-body.ts";
import { enqueueJob, pendingCreateJob, type JobRow } from "../jobs/job-store.ts";
import type { Services } from "../services.ts";
import { findPackage, packageNameByRepository, touchCatalogNow, updatePackage, versionWriteStatements, type PackageChanges, type PackageRow } from "./package-store.ts";
import { commitVersions, storedVersions } from "./rebuild-documents.ts";
import { checkRepositoryUrl } from "./repository-url.ts";
import { decodeVcsRepository, encodeVcsRepository, SVN_PATH_OPTIONS, VCS_TYPES, type VcsRepository, type VcsType } from "./vcs-repository.ts";

/**
 * Applies a settings document (`public`, `abandoned`, `archived`, `description`, `repository`,
 * `credentials`, `updatesDisabled`, `reviewLockFiles`, `application`). `abandoned` is in every
 * p2 entry: a change to it rebuilds the documents in the batch that stores it.
 */
export async function applyPackageChanges(services: Services, row: PackageRow, body: JsonObject): Promise<PackageRow> {
  const changes = await packageChanges(services, body, row);
  if (changes.abandoned !== undefined && changes.abandoned !== row.abandoned) {
    const { abandoned, ...others } = changes;
    await commitAbandoned(services, row, abandoned);
    if (Object.keys(others).length) await updatePackage(services.db, row.id, others);
    await touchCatalogNow(services);
  } else if (Object.keys(changes).length) {
    await updatePackage(services.db, row.id, changes);
    await touchCatalogNow(services);
  }
  return (await findPackage(services.db, row.id)) ?? row;
}

async function commitAbandoned(services: Services, row: PackageRow, abandoned: string | null): Promise<void> {
  const stored = await storedVersions(services.db, row.id);
  const write = versionWriteStatements(services.db, row.id, { removedIds: [], updates: [], inserts: [], packageChanges: { abandoned } });
  await commitVersions(services, { ...row, abandoned }, stored, write);
}

/**
 * Queues a create-package job for a repository URL (the git worker reads it and publishes the
 * versions). `vcs` holds the request's Composer repository options: `type` (vcs, git, svn, hg)
 * and, for svn, `trunk-path`, `branches-path` and `tags-path`.
 */
export async function submitVcsPackage(
  services: Services,
  rawRepository: string,
  credentialsId: number | null,
  options: { installWebhook?: boolean; vcs?: JsonObject } = {},
): Promise<JobRow> {
  const url = checkRepositoryUrl(rawRepository, services.config.allowLocalRepos);
  const repository = encodeVcsRepository({ url, ...vcsOptions(options.vcs ?? {}) });
  const existing = await packageNameByRepository(services.db, repository);
  if (existing) throw conflict(`${repository} is already registered as ${existing}.`, "duplicate_repository");
  // Not yet a package, but on its way: asking twice (an import run again) must not read it twice.
  const pending = await pendingCreateJob(services.db, repository);
  if (pending) throw conflict(`${repository} is already being added (job ${pending}).`, "duplicate_repository");
  return enqueueJob(services, "create-package", null, { repository, credentialsId, ...(options.installWebhook === false ? { installWebhook: false } : {}) });
}

/** `type`, the svn path options and `monorepo` of a create-package request, checked. */
function vcsOptions(body: JsonObject): Omit<VcsRepository, "url"> {
  if (body.monorepo !== undefined) return { type: "git", monorepo: monorepoPaths(body) };
  const type = body.type;
  if (type === undefined || type === "vcs") {
    if (SVN_PATH_OPTIONS.some((option) => body[option] !== undefined)) throw badRequest('The path options need "type": "svn".', "invalid_repository");
    return {};
  }
  if (typeof type !== "string" || !(VCS_TYPES as readonly string[]).includes(type)) throw badRequest('"type" must be one of vcs, git, svn, hg.', "invalid_repository");
  const paths: VcsRepository["paths"] = {};
  for (const option of SVN_PATH_OPTIONS) {
    const value = body[option];
    if (value === undefined) continue;
    if (type !== "svn") throw badRequest(`"${option}" only applies to "type": "svn".`, "invalid_repository");
    const valid = value === false || (typeof value === "string" && value.length > 0 && value.length <= 255 && !value.startsWith("-") && !/[\0\r\n#]/.test(value) && !value.split("/").includes(".."));
    if (!valid) throw badRequest(`"${option}" must be a relative path inside the repository, or false.`, "invalid_repository");
    paths[option] = value as string | false;
  }
  return { type: type as VcsType, ...(Object.keys(paths).length > 0 ? { paths } : {}) };
}

/** `"monorepo": {"paths": ["packages/*", ...]}`: globs of directories, inside the repository. */
function monorepoPaths(body: JsonObject): string[] {
  const monorepo = body.monorepo;
  const paths = monorepo && typeof monorepo === "object" && !Array.isArray(monorepo) ? (monorepo as JsonObject).paths : undefined;
  if (!Array.isArray(paths) || paths.length === 0 || paths.length > 20) throw badRequest('"monorepo" must be {"paths": [1 to 20 directory globs]}.', "invalid_repository");
  if (body.type !== undefined && body.type !== "git" && body.type !== "vcs") throw badRequest("Mono-repositories are git repositories.", "invalid_repository");
  for (const glob of paths) {
    const valid = typeof glob === "string" && glob.length > 0 && glob.length <= 255 && !glob.startsWith("/") && !glob.startsWith("-") && !/[\0\r\n#:\\]/.test(glob) && !glob.split("/").includes("..");
    if (!valid) throw badRequest(`"monorepo.paths" entries must be directory globs inside the repository (${JSON.stringify(glob).slice(0, 100)}).`, "invalid_repository");
  }
  return paths as string[];
}

export async function packageChanges(services: Services, body: JsonObject, row: PackageRow) {
  const changes: PackageChanges = {};
  const isPublic = optionalBoolean(body, "public");
  if (isPublic !== undefined) changes.isPublic = isPublic;
  const archived = optionalBoolean(body, "archived");
  if (archived !== undefined) changes.archived = archived;
  const updatesDisabled = optionalBoolean(body, "updatesDisabled");
  if (updatesDisabled !== undefined) changes.updatesDisabled = updatesDisabled;
  // Lock-file review and security monitoring read the repository through its provider token.
  for (const flag of ["reviewLockFiles", "application"] as const) {
    const value = optionalBoolean(body, flag);
    if (value === undefined) continue;
    if (value && row.kind !== "vcs") throw badRequest(`"${flag}" needs a VCS package (a repository on GitHub, GitLab, Gitea or Bitbucket).`);
    changes[flag] = value;
  }
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
    // A new URL keeps the package's repository options (an svn layout, an explicit type).
    const url = checkRepositoryUrl(requiredString(body, "repository", 2048), services.config.allowLocalRepos);
    changes.repository = encodeVcsRepository({ ...decodeVcsRepository(row.repository ?? ""), url });
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
