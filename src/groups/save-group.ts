// Writing a group and its grants in one batch, moving the change clock so every member's
// Last-Modified moves (the REST API and the admin pages share it).
import { eq, sql } from "drizzle-orm";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { groupGrants, groups } from "../db/schema.ts";
import { conflict } from "../http/errors.ts";
import type { BatchStatement } from "../ports.ts";
import type { Services } from "../services.ts";
import type { GroupInput } from "./group-input.ts";

export async function saveGroup(services: Services, id: number | null, input: GroupInput): Promise<number> {
  const { db } = services;
  const values = {
    ...(input.name !== undefined ? { name: input.name } : {}),
    ...(input.expiredUpdatesAt !== undefined ? { expiredUpdatesAt: input.expiredUpdatesAt } : {}),
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
