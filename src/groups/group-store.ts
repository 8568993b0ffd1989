// Groups, their grants and their members behind domain verbs (the REST API and the admin pages
// share them). Every write moves the change clock so every member's Last-Modified moves.
import { asc, eq, inArray, sql } from "drizzle-orm";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { groupGrants, groups, userGroups, users } from "../db/schema.ts";
import { conflict, notFound } from "../http/errors.ts";
import type { StoreDeps } from "../db/store-deps.ts";
import type { BatchStatement, Database } from "../ports.ts";
import type { GroupInput } from "./group-input.ts";

export type GroupRow = typeof groups.$inferSelect;
export type GrantRow = typeof groupGrants.$inferSelect;
export interface GroupMember {
  groupId: number;
  id: number;
  username: string;
}

/** Groups by name with their grants (in `grantOrder`); `id` narrows to one group. */
export async function listGroups(db: Database, options: { id?: number; grantOrder: "id" | "pattern" }): Promise<{ rows: GroupRow[]; grants: GrantRow[] }> {
  const { id } = options;
  const rows = await db.orm.select().from(groups).where(id === undefined ? undefined : eq(groups.id, id)).orderBy(asc(groups.name)).all();
  if (rows.length === 0) return { rows, grants: [] };
  // All groups: no id list (D1 allows 100 bound parameters per query).
  const grants = await db.orm
    .select()
    .from(groupGrants)
    .where(id === undefined ? undefined : eq(groupGrants.groupId, id))
    .orderBy(options.grantOrder === "id" ? asc(groupGrants.id) : asc(groupGrants.pattern))
    .all();
  return { rows, grants };
}

/** One group and its grants; 404 when there is none. */
export async function readGroup(db: Database, id: number): Promise<{ row: GroupRow; grants: GrantRow[] }> {
  const { rows, grants } = await listGroups(db, { id, grantOrder: "id" });
  if (!rows[0]) throw notFound("No such group.");
  return { row: rows[0], grants };
}

/** Members of every group (or of group `id`). */
export async function groupMembers(db: Database, id?: number): Promise<GroupMember[]> {
  return db.orm
    .select({ groupId: userGroups.groupId, id: users.id, username: users.username })
    .from(userGroups)
    .innerJoin(users, eq(users.id, userGroups.userId))
    .where(id === undefined ? undefined : eq(userGroups.groupId, id))
    .all();
}

/** Ids and names of every group, by name (the user form's choices). */
export async function groupNames(db: Database): Promise<{ id: number; name: string }[]> {
  return db.orm.select({ id: groups.id, name: groups.name }).from(groups).orderBy(asc(groups.name)).all();
}

/** Deletes a group; its members' clocks move so their Last-Modified never goes back. */
export async function deleteGroup(services: StoreDeps, id: number): Promise<void> {
  const { db } = services;
  await db.batch([
    tickClock(db, services.now()),
    db.orm
      .update(users)
      .set({ aclClock: sql`${CLOCK_NOW}` })
      .where(inArray(users.id, db.orm.select({ id: userGroups.userId }).from(userGroups).where(eq(userGroups.groupId, id)))),
    db.orm.delete(groups).where(eq(groups.id, id)),
  ]);
  services.forgetAccess();
}

export async function saveGroup(services: StoreDeps, id: number | null, input: GroupInput): Promise<number> {
  const { db } = services;
  const values = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.expiredUpdatesAt !== undefined ? { expiredUpdatesAt: input.expiredUpdatesAt } : {}),
    ...(input.hideSources !== undefined ? { hideSources: input.hideSources } : {}),
    ...(input.hideDevVersions !== undefined ? { hideDevVersions: input.hideDevVersions } : {}),
    ...(input.minimumStability !== undefined ? { minimumStability: input.minimumStability } : {}),
    aclClock: sql`${CLOCK_NOW}`,
  };
  let groupId = id;
  try {
    if (groupId === null) {
      const [, inserted] = (await db.batch([
        tickClock(db, services.now()),
        db.orm.insert(groups).values({ name: "", ...values, createdAt: services.now() }).returning({ id: groups.id }),
      ])) as unknown as [unknown, { id: number }[]];
      groupId = inserted[0]?.id ?? null;
      if (groupId === null) throw new Error("group insert returned no id");
    }
    const statements: BatchStatement[] = [tickClock(db, services.now()), db.orm.update(groups).set(values).where(eq(groups.id, groupId))];
    if (input.packages !== undefined) {
      statements.push(db.orm.delete(groupGrants).where(eq(groupGrants.groupId, groupId)));
      for (const grant of input.packages) statements.push(db.orm.insert(groupGrants).values({ groupId, pattern: grant.name, versionConstraint: grant.version }));
    }
    await db.batch(statements as [BatchStatement, ...BatchStatement[]]);
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`The group name "${input.name}" is taken.`, "duplicate_group");
    throw error;
  }
  services.forgetAccess();
  return groupId;
}
