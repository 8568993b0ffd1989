// /api/users: admins manage accounts, roles, group memberships and expiry dates. Every change
// moves the user's ACL clock, so their packages.json and p2 Last-Modified move too.
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { isoOrNull, readJsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import type { Services } from "../services.ts";
import { readUserInput } from "./user-input.ts";
import { deleteUser, listUsers, readUser, saveUser, type UserWithGroups } from "./user-store.ts";

export function userRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/users", requireScope("admin"));
  api.use("/users/*", requireScope("admin"));

  api.get("/users", async (c) => {
    const services = c.get("services");
    return c.json({ users: (await listUsers(services.db, "id")).map(userView) });
  });

  api.post("/users", async (c) => {
    const services = c.get("services");
    const input = readUserInput(await readJsonObject(c), true);
    const id = await saveUser(services, null, input);
    return c.json(await loadUserView(services, id), 201);
  });

  api.get("/users/:id", idParams("id"), async (c) => c.json(await loadUserView(c.get("services"), c.req.valid("param").id)));

  api.put("/users/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await loadUserView(services, id);
    await saveUser(services, id, readUserInput(await readJsonObject(c), false));
    return c.json(await loadUserView(services, id));
  });

  api.delete("/users/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await deleteUser(services, c.get("principal")?.userId, id);
    return c.body(null, 204);
  });

  return api;
}

async function loadUserView(services: Services, id: number) {
  return userView(await readUser(services.db, id));
}

function userView(row: UserWithGroups) {
  return {
    id: row.id,
    username: row.username,
    kind: row.kind,
    email: row.email,
    roles: row.roles,
    groups: row.groupIds,
    expiresAt: isoOrNull(row.expiresAt),
    expiredUpdatesAt: isoOrNull(row.expiredUpdatesAt),
    disabled: row.disabled,
    passwordSignIn: row.passwordSignIn,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
