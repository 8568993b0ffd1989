// Packages and their versions behind domain verbs. Creating and deleting a package moves the
// catalog clock in the same batch so every packages.json notices; a change to the versions
// bumps the package's versions revision in the batch that makes it.
import { and, asc, eq, getTableColumns, inArray, lt, or, sql } from "drizzle-orm";
import { CLOCK_NOW, tickClock, touchCatalog } from "../db/clock.ts";
import { customVersions, meta, packages, versionPatches, versions } from "../db/schema.ts";
import { conflict } from "../http/errors.ts";
import type { BatchStatement, Database } from "../ports.ts";
import { POLICIES_META_KEY, policiesFrom } from "../policies/policy-store.ts";

/** What a change to the package list needs: the handle, the clock, and the catalog to refresh. */
export interface CatalogDeps {
  db: Database;
  now(): number;
  catalog: { invalidate(name?: string): void };
}

export type PackageRow = typeof packages.$inferSelect;

// Every column but the README (up to 256 KB each), for listings.
const { readme: _readme, ...listed } = getTableColumns(packages);
export const listColumns = listed;
export type ListedPackage = Omit<PackageRow, "readme">;

export async function createPackageRow(
  services: CatalogDeps,
  input: { name: string; kind: "artifact" | "vcs" | "custom"; repository: string | null; credentialsId?: number | null },
): Promise<PackageRow> {
  const { db } = services;
  try {
    await db.batch([
      tickClock(db, services.now()),
      db.orm.insert(packages).values({ ...input, createdAt: services.now() }),
      touchCatalog(db),
    ]);
  } catch (error) {
    // A concurrent upload may have created it a moment ago: use theirs.
    if (!String(error).includes("UNIQUE")) throw error;
  }
  const row = await db.orm.select().from(packages).where(eq(packages.name, input.name)).get();
  if (!row) throw conflict(`${input.name} could not be created.`);
  if (row.kind !== input.kind) throw conflict(`${input.name} already exists as a ${row.kind} package.`);
  services.catalog.invalidate(input.name);
  return row;
}

export async function touchCatalogNow(services: CatalogDeps): Promise<void> {
  await services.db.batch([tickClock(services.db, services.now()), touchCatalog(services.db)]);
  services.catalog.invalidate();
}

export type VersionRow = typeof versions.$inferSelect;
export type VersionValues = typeof versions.$inferInsert;
export type PackageChanges = Partial<Omit<typeof packages.$inferInsert, "id" | "name">>;

export async function findPackage(db: Database, id: number): Promise<PackageRow | undefined> {
  return db.orm.select().from(packages).where(eq(packages.id, id)).get();
}

export async function findPackageByName(db: Database, name: string): Promise<PackageRow | undefined> {
  return db.orm.select().from(packages).where(eq(packages.name, name)).get();
}

/** The name of the package registered with exactly this repository URL. */
export async function packageNameByRepository(db: Database, repository: string): Promise<string | undefined> {
  return (await db.orm.select({ name: packages.name }).from(packages).where(eq(packages.repository, repository)).get())?.name;
}

/** Every package without its README, by name. */
export async function listPackageRows(db: Database): Promise<ListedPackage[]> {
  return db.orm.select(listColumns).from(packages).orderBy(packages.name).all();
}

export async function updatePackage(db: Database, id: number, changes: PackageChanges): Promise<void> {
  await db.orm.update(packages).set(changes).where(eq(packages.id, id));
}

/** A package's versions as stored (publish compares them), in publishing order. */
export async function versionRows(db: Database, packageId: number): Promise<VersionRow[]> {
  return db.orm.select().from(versions).where(eq(versions.packageId, packageId)).orderBy(asc(versions.id)).all();
}

/** A package's version documents with what readers need beside them, in publishing order. */
export async function versionDocuments(db: Database, packageId: number): Promise<{ data: string; createdAt: number; isDev: boolean; reference: string | null }[]> {
  return db.orm
    .select({ data: versions.data, createdAt: versions.createdAt, isDev: versions.isDev, reference: versions.reference })
    .from(versions)
    .where(eq(versions.packageId, packageId))
    .orderBy(asc(versions.id))
    .all();
}

/** Statement that marks a package's versions as changed; run it in the same batch as the change. */
export function bumpVersionsRevision(db: Database, packageId: number) {
  return db.orm
    .update(packages)
    .set({ versionsRev: sql`${packages.versionsRev} + 1` })
    .where(eq(packages.id, packageId));
}

export interface VersionsWrite {
  removedIds: number[];
  updates: { id: number; values: VersionValues }[];
  inserts: VersionValues[];
  /** Set on the package row in the same batch (e.g. crawledAt). */
  packageChanges?: PackageChanges;
}


/** Newly built documents a package switches to; `updatedClock: "tick"` moves its Last-Modified. */
export interface DocumentSwitch {
  tagsDocKey: string;
  devDocKey: string;
  revision: number;
  updatedClock: number | "tick";
  description: string | null;
  packageType: string;
}

/**
 * The ONE conditional update that switches a package to `documents`, only when they were built
 * from a newer versions revision than the ones in place (and, `atRevision`, when that revision
 * is the package's as the update runs).
 */
function documentSwitchStatement(db: Database, packageId: number, documents: DocumentSwitch, atRevision: boolean): BatchStatement {
  return db.orm
    .update(packages)
    .set({
      tagsDocKey: documents.tagsDocKey,
      devDocKey: documents.devDocKey,
      docsRev: documents.revision,
      updatedClock: documents.updatedClock === "tick" ? sql`${CLOCK_NOW}` : documents.updatedClock,
      description: documents.description,
      packageType: documents.packageType,
    })
    .where(and(eq(packages.id, packageId), lt(packages.docsRev, documents.revision), atRevision ? eq(packages.versionsRev, documents.revision) : undefined));
}

/** Switches a package to documents rebuilt from what is stored (`guard`: statements run first in the batch). */
export async function switchDocuments(deps: { db: Database; now(): number }, packageId: number, documents: DocumentSwitch, guard: BatchStatement[] = []): Promise<void> {
  const statements: BatchStatement[] = [...guard, tickClock(deps.db, deps.now()), documentSwitchStatement(deps.db, packageId, documents, false)];
  await deps.db.batch(statements as [BatchStatement, ...BatchStatement[]]);
}

/**
 * Runs a change to a package's versions (`changes`: its version rows, events, package fields)
 * and the switch to the documents built for it in ONE batch, so versions never show without
 * their documents. The switch applies only if no other change landed since the package was read.
 */
export async function commitVersionChanges(deps: { db: Database; now(): number }, packageId: number, changes: BatchStatement[], documents: DocumentSwitch): Promise<void> {
  const { db } = deps;
  await db.batch([bumpVersionsRevision(db, packageId), ...changes, tickClock(db, deps.now()), documentSwitchStatement(db, packageId, documents, true)]);
}

/** The revision of a package's versions and of the documents in place. */
export async function documentRevisions(db: Database, packageId: number): Promise<{ docsRev: number; versionsRev: number } | undefined> {
  return db.orm.select({ docsRev: packages.docsRev, versionsRev: packages.versionsRev }).from(packages).where(eq(packages.id, packageId)).get();
}

/** Packages whose versions moved past their documents (a process stopped between a commit and its rebuild). */
export async function packagesWithStaleDocuments(db: Database): Promise<number[]> {
  return (await db.orm.select({ id: packages.id }).from(packages).where(lt(packages.docsRev, packages.versionsRev)).all()).map((row) => row.id);
}

/** Statements that write a package's version changes, chunked under D1's 100 bound parameters. */
export function versionWriteStatements(db: Database, packageId: number, write: VersionsWrite): BatchStatement[] {
  const statements: BatchStatement[] = [];
  for (let i = 0; i < write.removedIds.length; i += 90) statements.push(db.orm.delete(versions).where(inArray(versions.id, write.removedIds.slice(i, i + 90))));
  for (const { id, values } of write.updates) statements.push(db.orm.update(versions).set(values).where(and(eq(versions.id, id), eq(versions.packageId, packageId))));
  // 9 columns x 10 rows stays under the 100 parameters.
  for (let i = 0; i < write.inserts.length; i += 10) statements.push(db.orm.insert(versions).values(write.inserts.slice(i, i + 10)));
  if (write.packageChanges) statements.push(db.orm.update(packages).set(write.packageChanges).where(eq(packages.id, packageId)));
  return statements;
}

/** Deletes a package, its versions, their definitions and patches, moving the catalog clock. */
export async function deletePackageRows(deps: { db: Database; now(): number }, packageId: number): Promise<void> {
  const { db } = deps;
  await db.batch([
    tickClock(db, deps.now()),
    db.orm.delete(versions).where(eq(versions.packageId, packageId)),
    db.orm.delete(customVersions).where(eq(customVersions.packageId, packageId)),
    db.orm.delete(versionPatches).where(eq(versionPatches.packageId, packageId)),
    db.orm.delete(packages).where(eq(packages.id, packageId)),
    touchCatalog(db),
  ]);
}

const pointerColumns = {
  id: packages.id,
  name: packages.name,
  isPublic: packages.isPublic,
  description: packages.description,
  packageType: packages.packageType,
  abandoned: packages.abandoned,
  archived: packages.archived,
  updatedClock: packages.updatedClock,
  createdAt: packages.createdAt,
  tagsDocKey: packages.tagsDocKey,
  devDocKey: packages.devDocKey,
};

/** What the catalog keeps of a package (catalog.ts's PackagePointer). */
export async function packagePointer(db: Database, name: string) {
  return (await db.orm.select(pointerColumns).from(packages).where(eq(packages.name, name)).get()) ?? null;
}

/** The catalog clock alone (moves when a package is created or deleted, or upstreams change). */
export async function catalogClock(db: Database): Promise<number> {
  const row = await db.orm.select().from(meta).where(eq(meta.key, "catalog_clock")).get();
  return Number(row?.value ?? 0);
}

/** Every package's pointer, by name, with the catalog clock. */
export async function packagePointers(db: Database) {
  const pointers = db.orm.select(pointerColumns).from(packages).orderBy(packages.name);
  // The policies ride along with the clock: packages.json reads them anyway (minimum Composer version).
  const metaValues = db.orm.select().from(meta).where(inArray(meta.key, ["catalog_clock", POLICIES_META_KEY]));
  // One batch: one round trip, and the clock read in the same transaction as the rows it dates.
  const [rows, metaRows] = (await db.batch([pointers, metaValues])) as [Awaited<typeof pointers>, Awaited<typeof metaValues>];
  const metaValue = (key: string) => metaRows.find((row) => row.key === key)?.value;
  return { clock: Number(metaValue("catalog_clock") ?? 0), packages: rows, policies: policiesFrom(metaValue(POLICIES_META_KEY)) };
}

/** VCS packages whose repository URL contains one of `names` (case-insensitive): a cheap narrowing before keys are compared. */
export async function vcsPackagesNaming(db: Database, names: string[]) {
  return db.orm
    .select({
      id: packages.id,
      name: packages.name,
      repository: packages.repository,
      updatesDisabled: packages.updatesDisabled,
      reviewLockFiles: packages.reviewLockFiles,
      application: packages.application,
    })
    .from(packages)
    // instr, not LIKE: D1 refuses a LIKE pattern over 50 bytes, and repository names get longer.
    .where(and(eq(packages.kind, "vcs"), or(...names.map((name) => sql`instr(lower(${packages.repository}), ${name.toLowerCase()}) > 0`))))
    .all();
}

/** `text` as a LIKE pattern's literal part (with `escape '\\'`). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}
