// /api/users: admins manage accounts, roles, group memberships and expiry dates. Every change
// moves the user's ACL clock, so their packages.json and p2 Last-Modified move too.
import { eq, inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import { hashPassword } from "../auth/password.ts";
import { requireScope } from "../auth/middleware.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { groups, userGroups, users } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest, conflict, notFound } from "../http/errors.ts";
import { isoOrNull, readJsonObject, routeId } from "../http/json-body.ts";
import type { BatchStatement } from "../ports.ts";
import type { Services } from "../services.ts";
import { readUserInput, type UserInput } from "./user-input.ts";

type UserRow = typeof users.$inferSelect;

export function userRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/users", requireScope("admin"));
  api.use("/users/*", requireScope("admin"));

  api.get("/users", async (c) => {
    const services = c.get("services");
    const rows = await services.db.orm.select().from(users).orderBy(users.id).all();
    const memberships = await services.db.orm.select().from(userGroups).all();
    return c.json({ users: rows.map((row) => userView(row, memberships.filter((m) => m.userId === row.id).map((m) => m.groupId))) });
  });

  api.post("/users", async (c) => {
    const services = c.get("services");
    const input = readUserInput(await readJsonObject(c), true);
    const id = await saveUser(services, null, input);
    return c.json(await loadUserView(services, id), 201);
  });

  api.get("/users/:id", async (c) => c.json(await loadUserView(c.get("services"), routeId(c.req.param("id")))));

  api.put("/users/:id", async (c) => {
    const services = c.get("services");
    const id = routeId(c.req.param("id"));
    await loadUserView(services, id);
    await saveUser(services, id, readUserInput(await readJsonObject(c), false));
    return c.json(await loadUserView(services, id));
  });

  api.delete("/users/:id", async (c) => {
    const services = c.get("services");
    const id = routeId(c.req.param("id"));
    if (id === c.get("principal")?.userId) throw badRequest("You cannot delete your own account.");
    const deleted = await services.db.orm.delete(users).where(eq(users.id, id)).returning({ id: users.id }).get();
    if (!deleted) throw notFound("No such user.");
    services.forgetAccess(id);
    return c.body(null, 204);
  });

  return api;
}

export async function saveUser(services: Services, id: number | null, input: UserInput): Promise<number> {
  const { db } = services;
  if (input.groups?.length) {
    const found = await db.orm.select({ id: groups.id }).from(groups).where(inArray(groups.id, input.groups)).all();
    if (found.length !== input.groups.length) throw badRequest('"groups" names a group that does not exist.');
  }
  if (input.password !== undefined && (input.kind === "service" || (id !== null && (await accountKind(services, id)) === "service"))) {
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

async function accountKind(services: Services, id: number): Promise<string | undefined> {
  return (await services.db.orm.select({ kind: users.kind }).from(users).where(eq(users.id, id)).get())?.kind;
}

async function loadUserView(services: Services, id: number) {
  const row = await services.db.orm.select().from(users).where(eq(users.id, id)).get();
  if (!row) throw notFound("No such user.");
  const memberships = await services.db.orm.select().from(userGroups).where(eq(userGroups.userId, id)).all();
  return userView(row, memberships.map((m) => m.groupId));
}

function userView(row: UserRow, groupIds: number[]) {
  return {
    id: row.id,
    username: row.username,
    kind: row.kind,
    email: row.email,
    roles: row.roles,
    groups: groupIds,
    expiresAt: isoOrNull(row.expiresAt),
    expiredUpdatesAt: isoOrNull(row.expiredUpdatesAt),
    disabled: row.disabled,
    passwordSignIn: row.passwordSignIn,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
