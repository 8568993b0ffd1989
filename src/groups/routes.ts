// /api/groups: package grants (name or vendor wildcard, optional version constraint) and the
// group's license-expiry freeze. A change moves the group's ACL clock.
import { eq, inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { CLOCK_NOW, tickClock } from "../db/clock.ts";
import { groupGrants, groups, userGroups, users } from "../db/schema.ts";
import type { AppEnv } from "../http/context.ts";
import { notFound } from "../http/errors.ts";
import { isoOrNull, readJsonObject, routeId } from "../http/json-body.ts";
import type { Services } from "../services.ts";
import { readGroupInput } from "./group-input.ts";
import { saveGroup } from "./save-group.ts";

export function groupRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/groups", requireScope("admin"));
  api.use("/groups/*", requireScope("admin"));

  api.get("/groups", async (c) => {
    const services = c.get("services");
    const rows = await services.db.orm.select().from(groups).orderBy(groups.name).all();
    const grants = await services.db.orm.select().from(groupGrants).all();
    return c.json({ groups: rows.map((row) => groupView(row, grants.filter((g) => g.groupId === row.id))) });
  });

  api.post("/groups", async (c) => {
    const services = c.get("services");
    const id = await saveGroup(services, null, readGroupInput(await readJsonObject(c), true));
    return c.json(await loadGroupView(services, id), 201);
  });

  api.get("/groups/:id", async (c) => c.json(await loadGroupView(c.get("services"), routeId(c.req.param("id")))));

  api.put("/groups/:id", async (c) => {
    const services = c.get("services");
    const id = routeId(c.req.param("id"));
    await loadGroupView(services, id);
    await saveGroup(services, id, readGroupInput(await readJsonObject(c), false));
    return c.json(await loadGroupView(services, id));
  });

  api.delete("/groups/:id", async (c) => {
    const services = c.get("services");
    const id = routeId(c.req.param("id"));
    await loadGroupView(services, id);
    const { db } = services;
    // Members' own clocks move: their ACL clock must never go back when this group's vanishes.
    await db.batch([
      tickClock(db, services.now()),
      db.orm
        .update(users)
        .set({ aclClock: sql`${CLOCK_NOW}` })
        .where(inArray(users.id, db.orm.select({ id: userGroups.userId }).from(userGroups).where(eq(userGroups.groupId, id)))),
      db.orm.delete(groups).where(eq(groups.id, id)),
    ]);
    services.forgetAccess();
    return c.body(null, 204);
  });

  return api;
}

async function loadGroupView(services: Services, id: number) {
  const row = await services.db.orm.select().from(groups).where(eq(groups.id, id)).get();
  if (!row) throw notFound("No such group.");
  const grants = await services.db.orm.select().from(groupGrants).where(inArray(groupGrants.groupId, [id])).all();
  return groupView(row, grants);
}

function groupView(row: typeof groups.$inferSelect, grants: (typeof groupGrants.$inferSelect)[]) {
  return {
    id: row.id,
    name: row.name,
    expiredUpdatesAt: isoOrNull(row.expiredUpdatesAt),
    packages: grants.map((grant) => ({ name: grant.pattern, ...(grant.versionConstraint ? { version: grant.versionConstraint } : {}) })),
  };
}
