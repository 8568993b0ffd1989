// /admin/groups: the grant matrix, create, edit, delete. Input goes through the API's own
// validation (readGroupInput) and saveGroup.
import { asc, eq, inArray, sql } from "drizzle-orm";
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { CLOCK_NOW, tickClock } from "../src/db/clock.ts";
import { groupGrants, groups, userGroups, users } from "../src/db/schema.ts";
import { notFound } from "../src/http/errors.ts";
import { routeId, type JsonObject } from "../src/http/json-body.ts";
import { readGroupInput } from "../src/groups/group-input.ts";
import { saveGroup } from "../src/groups/save-group.ts";
import type { Services } from "../src/services.ts";
import { groupEditPage, groupsPage, type GroupView } from "./groups-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, readForm, type Form } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";

export function groupPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => render(c, "Groups", groupsPage({ csrf: c.get("csrf"), groups: await loadGroups(c.get("services")), now: c.get("services").now() }), { active: "groups" }));

  pages.post("/", (c) =>
    formAction(c, "/admin/groups", async () => {
      const input = readGroupInput(groupDocument(await readForm(c)), true);
      const id = await saveGroup(c.get("services"), null, input);
      await auditFrom(c, c.get("session"), "group created", input.name ?? "", { id, grants: input.packages, expiredUpdatesAt: input.expiredUpdatesAt ?? null });
      return redirectWith(c, "/admin/groups", "ok", `The group ${input.name} was created.`);
    }),
  );

  pages.get("/:id", async (c) => {
    const group = (await loadGroups(c.get("services"), routeId(c.req.param("id"))))[0];
    if (!group) throw notFound("No such group.");
    return render(c, group.name, groupEditPage({ csrf: c.get("csrf"), group }), { active: "groups" });
  });

  pages.post("/:id", async (c) => {
    const back = `/admin/groups/${c.req.param("id")}`;
    return formAction(c, back, async () => {
      const id = routeId(c.req.param("id"));
      if (!(await loadGroups(c.get("services"), id))[0]) throw notFound("No such group.");
      const input = readGroupInput(groupDocument(await readForm(c)), false);
      await saveGroup(c.get("services"), id, input);
      await auditFrom(c, c.get("session"), "group changed", input.name ?? String(id), { grants: input.packages, expiredUpdatesAt: input.expiredUpdatesAt ?? null });
      return redirectWith(c, back, "ok", "Saved.");
    });
  });

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/groups", async () => {
      const services = c.get("services");
      const id = routeId(c.req.param("id"));
      const group = (await loadGroups(services, id))[0];
      if (!group) throw notFound("No such group.");
      const { db } = services;
      // As DELETE /api/groups/{id}: members' clocks move so their Last-Modified never goes back.
      await db.batch([
        tickClock(db, services.now()),
        db.orm.update(users).set({ aclClock: sql`${CLOCK_NOW}` }).where(inArray(users.id, db.orm.select({ id: userGroups.userId }).from(userGroups).where(eq(userGroups.groupId, id)))),
        db.orm.delete(groups).where(eq(groups.id, id)),
      ]);
      services.forgetAccess();
      await auditFrom(c, c.get("session"), "group deleted", group.name);
      return redirectWith(c, "/admin/groups", "ok", `The group ${group.name} was deleted.`);
    }),
  );

  return pages;
}

/** "acme/lib <2.0" lines as the JSON document /api/groups takes. */
function groupDocument(form: Form): JsonObject {
  const packages = field(form, "grants", 100_000)
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter(Boolean)
    .map((line) => {
      const [name = "", ...constraint] = line.split(/\s+/);
      return { name: name.toLowerCase(), version: constraint.join(" ") || null };
    });
  return { name: field(form, "name", 100), expiredUpdatesAt: field(form, "expiredUpdatesAt", 40), packages };
}

async function loadGroups(services: Services, id?: number): Promise<GroupView[]> {
  const { orm } = services.db;
  const rows = await orm.select().from(groups).where(id === undefined ? undefined : eq(groups.id, id)).orderBy(asc(groups.name)).all();
  if (rows.length === 0) return [];
  // All groups: no id list (D1 allows 100 bound parameters per query).
  const [grants, members] = await Promise.all([
    orm.select().from(groupGrants).where(id === undefined ? undefined : eq(groupGrants.groupId, id)).orderBy(asc(groupGrants.pattern)).all(),
    orm.select({ groupId: userGroups.groupId, id: users.id, username: users.username }).from(userGroups).innerJoin(users, eq(users.id, userGroups.userId)).where(id === undefined ? undefined : eq(userGroups.groupId, id)).all(),
  ]);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    expiredUpdatesAt: row.expiredUpdatesAt,
    grants: grants.filter((grant) => grant.groupId === row.id).map((grant) => ({ pattern: grant.pattern, constraint: grant.versionConstraint })),
    members: members.filter((member) => member.groupId === row.id).map(({ id: memberId, username }) => ({ id: memberId, username })),
  }));
}
