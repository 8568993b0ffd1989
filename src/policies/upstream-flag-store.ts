// Flags on versions of proxied (upstream) packages, keyed by package name: such a package has no
// row of its own. Read whole by the proxy (a short list an admin curates), once per cache TTL.
// Each write moves the catalog clock in the same batch: it is part of every proxied document's
// Last-Modified, so a client's If-Modified-Since gets the changed document, not a 304.
import { and, asc, eq } from "drizzle-orm";
import { upstreamVersionFlags } from "../db/schema.ts";
import { tickClock, touchCatalog } from "../db/clock.ts";
import { conflict } from "../http/errors.ts";
import type { Database } from "../ports.ts";
import type { FlagKind } from "./flag-store.ts";

export interface UpstreamVersionFlag {
  id: number;
  packageName: string;
  versionNormalized: string;
  version: string;
  kind: FlagKind;
  reason: string;
  flaggedBy: string;
  createdAt: number;
}

export async function allUpstreamFlags(db: Database): Promise<UpstreamVersionFlag[]> {
  return (await db.orm.select().from(upstreamVersionFlags).orderBy(asc(upstreamVersionFlags.id)).all()) as UpstreamVersionFlag[];
}

export async function upstreamFlagsOf(db: Database, packageName: string): Promise<UpstreamVersionFlag[]> {
  return (await db.orm.select().from(upstreamVersionFlags).where(eq(upstreamVersionFlags.packageName, packageName)).orderBy(asc(upstreamVersionFlags.id)).all()) as UpstreamVersionFlag[];
}

export async function addUpstreamFlag(db: Database, flag: Omit<UpstreamVersionFlag, "id" | "createdAt">, now: number): Promise<UpstreamVersionFlag> {
  try {
    const [, , inserted] = (await db.batch([tickClock(db, now), touchCatalog(db), db.orm.insert(upstreamVersionFlags).values({ ...flag, createdAt: now }).returning()])) as unknown as [unknown, unknown, UpstreamVersionFlag[]];
    return inserted[0] as UpstreamVersionFlag;
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict("This version is already flagged: lift that flag first.", "already_flagged");
    throw error;
  }
}

export async function liftUpstreamFlag(db: Database, packageName: string, id: number, now: number): Promise<UpstreamVersionFlag | undefined> {
  const where = and(eq(upstreamVersionFlags.id, id), eq(upstreamVersionFlags.packageName, packageName));
  const flag = (await db.orm.select().from(upstreamVersionFlags).where(where).get()) as UpstreamVersionFlag | undefined;
  if (flag) await db.batch([tickClock(db, now), touchCatalog(db), db.orm.delete(upstreamVersionFlags).where(where)]);
  return flag;
}
