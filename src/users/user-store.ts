// The users table (and memberships, and the first-admin setup token) behind domain verbs:
// routes and pages never see the schema. Every change moves the user's ACL clock.
import { and, asc, eq, inArray, isNotNull, sql } from "drizzle-orm";
import { hashPassword } from "../crypto/password.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { groupGrants, groups, meta, userGroups, users } from "../db/schema.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import type { StoreDeps } from "../db/store-deps.ts";
import type { BatchStatement, Database } from "../ports.ts";
import type { UserInput } from "./user-input.ts";

export type UserRow = typeof users.$inferSelect;
export type UserWithGroups = UserRow & { groupIds: number[] };

/** Every user with their group ids, ordered by id (the API) or by name (the pages). */
export async function listUsers(db: Database, order: "id" | "username"): Promise<UserWithGroups[]> {
  const rows = await db.orm.select().from(users).orderBy(order === "id" ? asc(users.id) : asc(users.username)).all();
  const memberships = await db.orm.select().from(userGroups).all();
  return rows.map((row) => ({ ...row, groupIds: memberships.filter((m) => m.userId === row.id).map((m) => m.groupId) }));
}

/** One user with their group ids; 404 when there is none. */
export async function readUser(db: Database, id: number): Promise<UserWithGroups> {
  const row = await db.orm.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw notFound("No such user.");
  const memberships = await db.orm.select().from(userGroups).where(eq(userGroups.userId, id)).all();
  return { ...row, groupIds: memberships.map((m) => m.groupId) };
}

/** Email addresses of enabled admins (people, not service accounts) that have one. */
export async function adminEmails(db: Database): Promise<string[]> {
  const rows = await db.orm
    .select({ email: users.email })
    .from(users)
    .where(and(isNotNull(users.email), eq(users.disabled, false), eq(users.kind, "person"), sql`exists (select 1 from json_each(${users.roles}) where value = 'ROLE_ADMIN')`))
    .all();
  return rows.map((row) => row.email as string);
}

/** A person (not a service account) by username or email, case-insensitively. */
export async function findPersonByNameOrEmail(db: Database, name: string): Promise<UserRow | undefined> {
  const lower = name.toLowerCase();
  return db.orm.select().from(users).where(sql`(lower(${users.username}) = ${lower} or lower(${users.email}) = ${lower}) and ${users.kind} = 'person'`).get();
}

export async function findUser(db: Database, id: number): Promise<UserRow | undefined> {
  return db.orm.select().from(users).where(eq(users.id, id)).get();
}

/** The user with this name, compared case-insensitively (sign-in names). */
export async function findUserByName(db: Database, username: string): Promise<UserRow | undefined> {
  return db.orm.select().from(users).where(sql`lower(${users.username}) = ${username.toLowerCase()}`).get();
}

/** A user with their groups (expiry, clock) and those groups' grants: what a principal is made of. */
export async function readAccess(db: Database, userId: number) {
  const user = await findUser(db, userId);
  if (!user) return null;
  const memberships = await db.orm
    .select({ id: groups.id, expiredUpdatesAt: groups.expiredUpdatesAt, aclClock: groups.aclClock, hideSources: groups.hideSources, hideDevVersions: groups.hideDevVersions, minimumStability: groups.minimumStability })
    .from(userGroups)
    .innerJoin(groups, eq(groups.id, userGroups.groupId))
    .where(eq(userGroups.userId, userId))
    .all();
  const grants = memberships.length ? await db.orm.select().from(groupGrants).where(inArray(groupGrants.groupId, memberships.map((group) => group.id))).all() : [];
  return { user, memberships, grants };
}

/** Creates (id null) or changes a user; `groups`, when given, replaces their memberships. */
export async function saveUser(services: StoreDeps, id: number | null, input: UserInput): Promise<number> {
  const { db } = services;
  if (input.groups?.length) {
    const found = await db.orm.select({ id: groups.id }).from(groups).where(inArray(groups.id, input.groups)).all();
    if (found.length !== input.groups.length) throw badRequest('"groups" names a group that does not exist.');
  }
  if (input.password !== undefined && (input.kind === "service" || (id !== null && (await accountKind(db, id)) === "service"))) {
    throw badRequest("A service account has no password: give it API tokens instead.", "service_account");
  }
  const values = {
    ...(input.kind !== undefined && id === null ? { kind: input.kind } : {}),
    ...(input.username !== undefined ? { username: input.username } : {}),
    ...(input.email !== undefined ? { email: input.email } : {}),
    ...(input.password !== undefined ? { passwordHash: await hashPassword(input.password) } : {}),
    ...(input.roles !== undefined ? { roles: input.roles } : {}),
    ...(input.expiresAt !== undefined ? { expiresAt: input.expiresAt } : {}),
    ...(input.expiredUpdatesAt !== undefined ? { expiredUpdatesAt: input.expiredUpdatesAt } : {}),
    ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
    ...(input.passwordSignIn !== undefined ? { passwordSignIn: input.passwordSignIn } : {}),
    aclClock: sql`${CLOCK_NOW}`,
  };
  let userId = id;
  try {
    if (userId === null) {
      const [, inserted] = (await db.batch([
        tickClock(db, services.now()),
        db.orm.insert(users).values({ username: "", roles: [], ...values, createdAt: services.now() }).returning({ id: users.id }),
      ])) as unknown as [unknown, { id: number }[]];
      userId = inserted[0]?.id ?? null;
      if (userId === null) throw new Error("user insert returned no id");
    } else {
      await db.batch([tickClock(db, services.now()), db.orm.update(users).set(values).where(eq(users.id, userId))]);
    }
  } catch (error) {
    if (String(error).includes("UNIQUE")) throw conflict(`The username "${input.username}" is taken.`, "duplicate_username");
    throw error;
  }
  if (input.groups !== undefined) {
    const statements: BatchStatement[] = [db.orm.delete(userGroups).where(eq(userGroups.userId, userId))];
    for (const groupId of input.groups) statements.push(db.orm.insert(userGroups).values({ userId, groupId }));
    await db.batch(statements as [BatchStatement, ...BatchStatement[]]);
  }
  services.forgetAccess(userId);
  return userId;
}

async function accountKind(db: Database, id: number): Promise<string | undefined> {
  return (await db.orm.select({ kind: users.kind }).from(users).where(eq(users.id, id)).get())?.kind;
}

/** Deletes a user (never the one asking) and forgets what they could see; returns their name. */
export async function deleteUser(services: StoreDeps, actorId: number | undefined, id: number): Promise<string> {
  if (id === actorId) throw badRequest("You cannot delete your own account.");
  const deleted = await services.db.orm.delete(users).where(eq(users.id, id)).returning({ username: users.username }).get();
  if (!deleted) throw notFound("No such user.");
  services.forgetAccess(id);
  return deleted.username;
}

export async function adminExists(db: Database): Promise<boolean> {
  const row = await db.orm.select({ id: users.id }).from(users).where(sql`${users.roles} like '%"ROLE_ADMIN"%'`).limit(1).get();
  return row !== undefined;
}


/** The first-admin setup link's token, stored only as its hash. */
export async function saveSetupTokenHash(db: Database, hash: string): Promise<void> {
  await db.orm.insert(meta).values({ key: "setup_token", value: hash }).onConflictDoUpdate({ target: meta.key, set: { value: hash } });
}

export async function setupTokenHash(db: Database): Promise<string | null> {
  const row = await db.orm.select().from(meta).where(eq(meta.key, "setup_token")).get();
  return row?.value ?? null;
}

export async function deleteSetupToken(db: Database): Promise<void> {
  await db.orm.delete(meta).where(eq(meta.key, "setup_token"));
}
