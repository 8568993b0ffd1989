// Version flags (malware, compromised) behind domain verbs. A flag or its lifting changes what
// p2 serves, so each write moves the package's versions revision in the same batch: the caller
// then rebuilds its documents (and a process stopped in between leaves them stale for the
// scheduled pass to rebuild, never a flag without its effect for long).
import { and, asc, eq, sql } from "drizzle-orm";
import { versionFlags, packages, versions } from "../db/schema.ts";
import { conflict } from "../http/errors.ts";
import type { BatchStatement, Database } from "../ports.ts";

export type FlagKind = "malware" | "compromised";
export const FLAG_KINDS: readonly FlagKind[] = ["malware", "compromised"];

export interface VersionFlag {
  id: number;
  packageId: number;
  versionNormalized: string;
  kind: FlagKind;
  reason: string;
  flaggedBy: string;
  createdAt: number;
}

export async function flagsOfPackage(db: Database, packageId: number): Promise<VersionFlag[]> {
  return (await db.orm.select().from(versionFlags).where(eq(versionFlags.packageId, packageId)).orderBy(asc(versionFlags.id)).all()) as VersionFlag[];
}

/** Every flag with its package name, newest first (the admin page). */
export async function allFlags(db: Database): Promise<(VersionFlag & { packageName: string })[]> {
  const rows = await db.orm
    .select({ flag: versionFlags, packageName: packages.name })
    .from(versionFlags)
    .innerJoin(packages, eq(packages.id, versionFlags.packageId))
    .orderBy(sql`${versionFlags.id} desc`)
    .limit(1000)
    .all();
  return rows.map((row) => ({ ...(row.flag as VersionFlag), packageName: row.packageName }));
}

/** The stored version a flag would name (its pretty version), or undefined. */
export async function findStoredVersion(db: Database, packageId: number, versionNormalized: string): Promise<{ version: string } | undefined> {
  return db.orm.select({ version: versions.version }).from(versions).where(and(eq(versions.packageId, packageId), eq(versions.versionNormalized, versionNormalized))).get();
}

export async function addFlag(db: Database, flag: Omit<VersionFlag, "id" | "createdAt">, now: number): Promise<VersionFlag> {
  try {
    const [, inserted] = (await db.batch([bumpRevision(db, flag.packageId), db.orm.insert(versionFlags).values({ ...flag, createdAt: now }).returning()])) as unknown as [unknown, VersionFlag[]];
    return inserted[0] as VersionFlag;
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict("This version is already flagged: lift that flag first.", "already_flagged");
    throw error;
  }
}

/** Lifts a flag; false when the package has no flag with this id. */
export async function liftFlag(db: Database, packageId: number, id: number): Promise<VersionFlag | undefined> {
  const flag = (await db.orm.select().from(versionFlags).where(and(eq(versionFlags.id, id), eq(versionFlags.packageId, packageId))).get()) as VersionFlag | undefined;
  if (!flag) return undefined;
  await db.batch([bumpRevision(db, packageId), db.orm.delete(versionFlags).where(eq(versionFlags.id, id))]);
  return flag;
}

function bumpRevision(db: Database, packageId: number): BatchStatement {
  return db.orm.update(packages).set({ versionsRev: sql`${packages.versionsRev} + 1` }).where(eq(packages.id, packageId));
}
