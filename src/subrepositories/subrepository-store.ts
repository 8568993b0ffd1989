// Sub-repositories behind domain verbs (the REST API and the admin pages share them). Every
// write ticks the change clock and stamps the row, so its documents' Last-Modified moves.
import { asc, eq, sql } from "drizzle-orm";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { subrepositories } from "../db/schema.ts";
import type { StoreDeps } from "../db/store-deps.ts";
import { conflict, notFound } from "../http/errors.ts";
import type { Database } from "../ports.ts";
import type { SubrepositoryInput } from "./subrepository-input.ts";

export type SubrepositoryRow = typeof subrepositories.$inferSelect;

/** Every sub-repository, by name. */
export function listSubrepositories(db: Database): Promise<SubrepositoryRow[]> {
  return db.orm.select().from(subrepositories).orderBy(asc(subrepositories.name)).all();
}

/** One sub-repository; 404 when there is none. */
export async function readSubrepository(db: Database, id: number): Promise<SubrepositoryRow> {
  const row = await db.orm.select().from(subrepositories).where(eq(subrepositories.id, id)).get();
  if (!row) throw notFound("No such sub-repository.");
  return row;
}

/** Creates (id null) or updates a sub-repository; 409 when its slug or hostname is taken. */
export async function saveSubrepository(deps: StoreDeps, id: number | null, input: SubrepositoryInput): Promise<number> {
  const { db } = deps;
  const values = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.slug !== undefined ? { slug: input.slug } : {}),
    ...(input.packages !== undefined ? { packages: input.packages } : {}),
    ...(input.isPublic !== undefined ? { isPublic: input.isPublic } : {}),
    ...(input.hostname !== undefined ? { hostname: input.hostname } : {}),
    changedClock: sql`${CLOCK_NOW}`,
  };
  try {
    if (id === null) {
      const [, inserted] = (await db.batch([
        tickClock(db, deps.now()),
        db.orm.insert(subrepositories).values({ name: "", slug: "", packages: [], ...values, createdAt: deps.now() }).returning({ id: subrepositories.id }),
      ])) as unknown as [unknown, { id: number }[]];
      const created = inserted[0]?.id;
      if (created === undefined) throw new Error("sub-repository insert returned no id");
      return created;
    }
    await db.batch([tickClock(db, deps.now()), db.orm.update(subrepositories).set(values).where(eq(subrepositories.id, id))]);
    return id;
  } catch (error) {
    if (String(error).includes("UNIQUE")) {
      const what = String(error).includes("hostname") ? `The hostname "${input.hostname}"` : `The slug "${input.slug}"`;
      throw conflict(`${what} is taken by another sub-repository.`, "duplicate_subrepository");
    }
    throw error;
  }
}

export async function deleteSubrepository(deps: StoreDeps, id: number): Promise<void> {
  const { db } = deps;
  await db.batch([tickClock(db, deps.now()), db.orm.delete(subrepositories).where(eq(subrepositories.id, id))]);
}
