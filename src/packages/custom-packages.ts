// Custom and virtual packages: versions defined by JSON instead of read from a repository or an
// upload. Creating one, defining (or redefining) a version and removing one each commit the
// version rows, their definitions, their webhook events and the new p2 documents in one batch.
import { isValidPackageName } from "../composer-rules/package-name.ts";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { publishEventInserts, type Actor } from "../webhooks/outgoing/package-events.ts";
import { customEntry, distReference, invalidDefinition, isDevCustomVersion, MAX_CUSTOM_VERSIONS, parseCustomVersion, type CustomVersion } from "./custom-definition.ts";
import { fetchExternalDist, hasCustomArchive } from "./custom-dist.ts";
import { removeDefinitionStatement, saveDefinitionStatement } from "./custom-store.ts";
import { createPackageRow, findPackageByName, versionRows, versionWriteStatements, type PackageRow, type VersionValues } from "./package-store.ts";
import { commitVersions } from "./rebuild-documents.ts";

export interface CustomPackageInput {
  name: string;
  versions: unknown[];
}

/** `{"name", "versions": [...]}`; a virtual package's versions are metapackages (`type` may be left out). */
export function customPackageInput(body: Record<string, unknown>, virtual: boolean): CustomPackageInput {
  const name = typeof body.name === "string" ? body.name : "";
  if (name.length > 255 || !isValidPackageName(name)) throw badRequest(`"${name.slice(0, 120)}" is not a valid package name (lowercase vendor/name).`, "invalid_name");
  const versions = body.versions;
  if (!Array.isArray(versions) || versions.length === 0 || versions.length > MAX_CUSTOM_VERSIONS) throw invalidDefinition(`"versions" must list 1 to ${MAX_CUSTOM_VERSIONS} versions.`);
  return { name, versions: virtual ? versions.map(asMetapackage) : versions };
}

export function asMetapackage(raw: unknown): unknown {
  if (raw === null || typeof raw !== "object" || Array.isArray(raw)) return raw;
  const version = raw as Record<string, unknown>;
  if (version.type !== undefined && version.type !== "metapackage") throw invalidDefinition('A virtual package\'s versions are metapackages: leave "type" out or set it to "metapackage".');
  return { ...version, type: "metapackage" };
}

export async function createCustomPackage(services: Services, input: CustomPackageInput, actor: Actor): Promise<PackageRow> {
  const now = new Date(services.now());
  const parsed = input.versions.map((raw) => parseCustomVersion(input.name, raw, now));
  const seen = new Set<string>();
  for (const version of parsed) {
    if (seen.has(version.versionNormalized)) throw invalidDefinition(`${input.name} ${version.version} is defined twice.`);
    seen.add(version.versionNormalized);
  }
  if (await findPackageByName(services.db, input.name)) throw conflict(`${input.name} already exists.`, "duplicate_package");
  for (const version of parsed) await resolveDist(services, input.name, version);
  const pkg = await createPackageRow(services, { name: input.name, kind: "custom", repository: null });
  await commitCustomVersions(services, pkg, parsed, [], actor);
  return pkg;
}

/** Defines `version` of a custom package anew (or for the first time). */
export async function putCustomVersion(services: Services, pkg: PackageRow, version: string, body: Record<string, unknown>, actor: Actor): Promise<void> {
  if (body.version !== undefined && body.version !== version) throw invalidDefinition(`The definition's "version" (${String(body.version).slice(0, 100)}) is not the URL's (${version}).`);
  const parsed = parseCustomVersion(pkg.name, { ...body, version }, new Date(services.now()));
  await resolveDist(services, pkg.name, parsed);
  await commitCustomVersions(services, pkg, [parsed], [], actor);
}

export async function deleteCustomVersion(services: Services, pkg: PackageRow, version: string, actor: Actor): Promise<void> {
  const rows = await versionRows(services.db, pkg.id);
  const row = rows.find((candidate) => candidate.version === version || candidate.versionNormalized === version);
  if (!row) throw notFound(`${pkg.name} has no version ${version.slice(0, 100)}.`);
  await commitCustomVersions(services, pkg, [], [row.versionNormalized], actor);
}

/** 404 unless `name` is a custom package. */
export async function findCustomPackage(services: Services, name: string): Promise<PackageRow> {
  const pkg = await findPackageByName(services.db, name);
  if (!pkg) throw notFound(`Package "${name}" was not found.`);
  if (pkg.kind !== "custom") throw conflict(`${name} is not a custom package: its versions come from ${pkg.kind === "vcs" ? "its repository" : "uploads"}.`, "not_a_custom_package");
  return pkg;
}

async function resolveDist(services: Services, name: string, version: CustomVersion): Promise<void> {
  const dist = version.dist;
  if (dist?.kind === "external") await fetchExternalDist(services, name, dist.url, dist.shasum);
  else if (dist?.kind === "uploaded" && !(await hasCustomArchive(services, name, dist.reference))) {
    throw invalidDefinition(`${name} ${version.version}: no archive with reference ${dist.reference} was uploaded for ${name} (POST /api/packages/custom/${name}/archives).`);
  }
}

async function commitCustomVersions(services: Services, pkg: PackageRow, defined: CustomVersion[], removed: string[], actor: Actor): Promise<void> {
  const { db } = services;
  const now = services.now();
  const rows = await versionRows(db, pkg.id);
  const byNormalized = new Map(rows.map((row) => [row.versionNormalized, row]));
  const write = { removedIds: [] as number[], updates: [] as { id: number; values: VersionValues }[], inserts: [] as VersionValues[] };
  const entries = new Map(rows.map((row) => [row.versionNormalized, { entry: JSON.parse(row.data) as VersionEntry, createdAt: row.createdAt }]));
  const summary = { package: pkg.name, added: [] as string[], updated: [] as string[], removed: [] as string[], kept: [] };
  const definitions = [];
  for (const version of defined) {
    const entry = customEntry(pkg.name, version, new Date(now));
    const values: VersionValues = {
      packageId: pkg.id,
      version: version.version,
      versionNormalized: version.versionNormalized,
      reference: distReference(version.dist),
      isDev: isDevCustomVersion(version),
      releasedAt: Date.parse(entry.time ?? "") || now,
      data: JSON.stringify(entry),
    };
    const existing = byNormalized.get(version.versionNormalized);
    if (existing) write.updates.push({ id: existing.id, values });
    else write.inserts.push({ ...values, createdAt: now });
    (existing ? summary.updated : summary.added).push(version.version);
    entries.set(version.versionNormalized, { entry, createdAt: existing?.createdAt ?? now });
    definitions.push(saveDefinitionStatement(db, pkg.id, version.versionNormalized, { ...version.definition, version: version.version }));
  }
  for (const versionNormalized of removed) {
    const row = byNormalized.get(versionNormalized);
    if (!row) continue;
    write.removedIds.push(row.id);
    summary.removed.push(row.version);
    entries.delete(versionNormalized);
    definitions.push(removeDefinitionStatement(db, pkg.id, versionNormalized));
  }
  const published = [...entries.values()];
  const { inserts: events } = await publishEventInserts(services, summary, pkg, published.map(({ entry }) => entry), { created: rows.length === 0 && defined.length > 0, actor });
  try {
    await commitVersions(services, pkg, published, [...versionWriteStatements(db, pkg.id, write), ...definitions, ...events]);
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`${pkg.name} changed while this was saved; try again.`, "concurrent_change");
    throw error;
  }
  if (events.length) services.hooks.requestDrain();
}
