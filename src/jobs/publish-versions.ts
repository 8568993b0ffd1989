// The git worker's one publish call: the complete version set of a package replaces the stored
// one. Only the difference is written (so an incremental update touches a few rows), stable
// versions keep their first published reference unless the job forces a re-read (Packagist
// treats releases as immutable), and every new dist reference must already be uploaded, unless
// the worker defers it: a large repository's older archives are built on their first request
// (src/composer/zipball-on-demand.ts).
import { decodeVcsRepository, encodeVcsRepository } from "../packages/vcs-repository.ts";
import { distKey, REFERENCE_PATTERN } from "../blobs/keys.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { isDevVersion } from "../composer-rules/p2-document.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { PUBLIC_BASE_PLACEHOLDER } from "../composer/public-base.ts";
import { badRequest, conflict } from "../http/errors.ts";
import {
  createPackageRow,
  findPackage,
  findPackageByName,
  updatePackage,
  versionRows,
  versionWriteStatements,
  type PackageRow,
  type VersionRow,
  type VersionValues,
  type VersionsWrite,
} from "../packages/package-store.ts";
import { commitVersions, type StoredVersion } from "../packages/rebuild-documents.ts";
import type { Services } from "../services.ts";
import type { JobRow } from "./job-store.ts";
import { publishEventInserts } from "../webhooks/outgoing/package-events.ts";

const MAX_ENTRY_BYTES = 512 * 1024;

export interface PublishSummary {
  package: string;
  added: string[];
  updated: string[];
  removed: string[];
  /** Stable versions whose tag moved: the first published reference is kept. */
  kept: string[];
  /** Set when this publish created the package (a new_repo event). */
  created?: true;
}

export interface PublishOptions {
  /** The default branch's README to store (null clears it, undefined keeps it). */
  readme?: string | null;
  /** A mono-repository package's own repository. */
  repository?: string;
  /** Dist references not uploaded yet: built when first requested. */
  deferred?: ReadonlySet<string>;
}

export async function publishScannedVersions(
  services: Services,
  job: JobRow,
  name: string,
  rawVersions: unknown[],
  options: PublishOptions = {},
): Promise<PublishSummary> {
  const { readme, repository, deferred } = options;
  if (!isValidPackageName(name)) throw badRequest(`"${name.slice(0, 100)}" is not a valid package name.`);
  const entries = rawVersions.map((raw, index) => checkEntry(raw, index, name));
  const { row: pkg, created } = await packageFor(services, job, name, repository);
  const existing = await versionRows(services.db, pkg.id);
  const byNormalized = new Map(existing.map((row) => [row.versionNormalized, row]));
  const force = job.payload?.force === true;
  const summary: PublishSummary = { package: name, added: [], updated: [], removed: [], kept: [], ...(created ? { created } : {}) };
  const rows: PublishedRow[] = [];
  const now = services.now();
  for (const entry of entries) {
    const previous = byNormalized.get(entry.version_normalized);
    if (previous && !force && !isDevVersion(entry.version_normalized) && previous.reference !== entry.dist?.reference) {
      summary.kept.push(entry.version);
      rows.push({ entry: JSON.parse(previous.data) as VersionEntry, data: previous.data, createdAt: previous.createdAt });
      continue;
    }
    rows.push({ entry, data: JSON.stringify(entry), createdAt: firstSeen(previous, entry, now) });
  }
  const known = new Set([...existing.map((row) => row.reference), ...(deferred ?? [])]);
  await assertUploaded(services, name, rows.map(({ entry }) => entry).filter((entry) => !known.has(entry.dist?.reference ?? null)));
  const write = versionsWrite(pkg.id, byNormalized, rows, summary);
  write.packageChanges = { crawledAt: services.now(), updateError: null, ...(readme === undefined ? {} : { readme }) };
  // A package whose first publish failed after creating its row is announced by the one that lands.
  const announce = { created: created === true || existing.length === 0 };
  const { inserts: events } = await publishEventInserts(services, summary, pkg, rows.map(({ entry }) => entry), announce);
  await commitVersions(services, pkg, rows, [...versionWriteStatements(services.db, pkg.id, write), ...events]);
  if (events.length) services.hooks.requestDrain();
  return summary;
}

type PublishedRow = StoredVersion & { data: string };

/**
 * When Satchel first published a version (its row's created_at, which the freeze reads): a
 * release re-read keeps it; a branch that moved to another commit was first seen now.
 */
function firstSeen(previous: { reference: string | null; createdAt: number } | undefined, entry: VersionEntry, now: number): number {
  if (!previous) return now;
  const moved = isDevVersion(entry.version_normalized) && previous.reference !== (entry.dist?.reference ?? null);
  return moved ? now : Math.min(previous.createdAt, now);
}

function versionsWrite(
  packageId: number,
  existing: Map<string, VersionRow>,
  rows: PublishedRow[],
  summary: PublishSummary,
): VersionsWrite {
  const wanted = new Set(rows.map(({ entry }) => entry.version_normalized));
  const removed = [...existing.values()].filter((row) => !wanted.has(row.versionNormalized));
  summary.removed = removed.map((row) => row.version);
  const updates: VersionsWrite["updates"] = [];
  const inserts: VersionValues[] = [];
  for (const { entry, data, createdAt } of rows) {
    const values = {
      packageId,
      version: entry.version,
      versionNormalized: entry.version_normalized,
      reference: entry.dist?.reference ?? null,
      isDev: isDevVersion(entry.version_normalized),
      releasedAt: entry.time ? Date.parse(entry.time) || null : null,
      data,
      createdAt,
    };
    const previous = existing.get(entry.version_normalized);
    if (!previous) {
      summary.added.push(entry.version);
      inserts.push(values);
    } else if (previous.data !== data) {
      summary.updated.push(entry.version);
      updates.push({ id: previous.id, values });
    }
  }
  return { removedIds: removed.map((row) => row.id), updates, inserts };
}

/** Every new reference's zipball is in the blob store (checked 16 at a time: a first import may have thousands). */
async function assertUploaded(services: Services, name: string, entries: VersionEntry[]): Promise<void> {
  for (let i = 0; i < entries.length; i += 16) {
    const batch = entries.slice(i, i + 16);
    const present = await Promise.all(batch.map((entry) => services.blobs.has(distKey(name, entry.dist?.reference as string))));
    const missing = batch.find((_, index) => !present[index]);
    if (missing) throw badRequest(`The zipball for ${missing.version} (${missing.dist?.reference}) was not uploaded before publishing.`, "missing_dist");
  }
}

/**
 * `override`: a mono-repository package's own repository (its directory's), when the job is the
 * mono-repository's (a create job, or an update of one of its packages that found a new directory).
 */
async function packageFor(services: Services, job: JobRow, name: string, override?: string): Promise<{ row: PackageRow; created?: true }> {
  const current = job.packageId === null ? undefined : await findPackage(services.db, job.packageId);
  if (job.packageId !== null && !current) throw conflict("The package was deleted while it was being updated.", "package_gone");
  const jobRepository = current ? current.repository : typeof job.payload?.repository === "string" ? job.payload.repository : null;
  if (override !== undefined && !isPackageOf(override, jobRepository)) {
    throw badRequest("A repository may only name a package of the job's mono-repository.");
  }
  if (current && (override === undefined || override === current.repository)) {
    if (current.name !== name) throw conflict(`The repository now names its package "${name}", but it is registered as ${current.name}.`, "name_changed");
    return { row: current };
  }
  const repository = override ?? jobRepository;
  const existing = await findPackageByName(services.db, name);
  if (existing && existing.repository !== repository) throw conflict(`A package named ${name} already exists.`, "duplicate_package");
  const credentialsId = current ? current.credentialsId : typeof job.payload?.credentialsId === "number" ? job.payload.credentialsId : null;
  const row = existing ?? (await createPackageRow(services, { name, kind: "vcs", repository, credentialsId }));
  await updatePackage(services.db, row.id, { credentialsId });
  return existing ? { row } : { row, created: true };
}

/** A subdirectory package of the job's mono-repository (same URL). */
function isPackageOf(repository: string, monorepo: string | null): boolean {
  if (monorepo === null) return false;
  const parent = decodeVcsRepository(monorepo);
  const child = decodeVcsRepository(repository);
  return parent.monorepo !== undefined && child.subdir !== undefined && child.url === parent.url && encodeVcsRepository(child) === repository;
}

/** Shape checks on what the worker sends; its dist URL is replaced by our own. */
function checkEntry(raw: unknown, index: number, name: string): VersionEntry {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw badRequest(`versions[${index}] is not an object.`);
  const entry = raw as VersionEntry;
  if (entry.name !== name) throw badRequest(`versions[${index}] names "${String(entry.name).slice(0, 100)}", not ${name}.`);
  if (typeof entry.version !== "string" || typeof entry.version_normalized !== "string" || entry.version.length > 255) {
    throw badRequest(`versions[${index}] needs "version" and "version_normalized".`);
  }
  const reference = entry.dist?.reference;
  if (typeof reference !== "string" || !REFERENCE_PATTERN.test(reference)) throw badRequest(`versions[${index}] has no valid dist reference.`);
  const shasum = typeof entry.dist?.shasum === "string" ? entry.dist.shasum : "";
  const checked = { ...entry, dist: { type: "zip", url: `${PUBLIC_BASE_PLACEHOLDER}/zipball/${name}/${reference}.zip`, reference, shasum } };
  if (JSON.stringify(checked).length > MAX_ENTRY_BYTES) throw badRequest(`versions[${index}] is larger than ${MAX_ENTRY_BYTES} bytes.`);
  return checked;
}
