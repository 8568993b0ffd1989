// /admin/groups: the grant matrix, create, edit, delete. Input goes through the API's own
// validation (readGroupInput) and saveGroup.
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { notFound } from "../src/http/errors.ts";
import { routeId, type JsonObject } from "../src/http/json-body.ts";
import { idParams } from "../src/http/route-params.ts";
import { readGroupInput } from "../src/groups/group-input.ts";
import { deleteGroup, groupMembers, listGroups, saveGroup } from "../src/groups/group-store.ts";
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
      await auditFrom(c, c.get("session"), "group created", input.name ?? "", { id, grants: input.packages, expiredUpdatesAt: input.expiredUpdatesAt ?? null, hideSources: input.hideSources, hideDevVersions: input.hideDevVersions, minimumStability: input.minimumStability });
      return redirectWith(c, "/admin/groups", "ok", `The group ${input.name} was created.`);
    }),
  );

  pages.get("/:id", idParams("id"), async (c) => {
    const group = (await loadGroups(c.get("services"), c.req.valid("param").id))[0];
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
      await auditFrom(c, c.get("session"), "group changed", input.name ?? String(id), { grants: input.packages, expiredUpdatesAt: input.expiredUpdatesAt ?? null, hideSources: input.hideSources, hideDevVersions: input.hideDevVersions, minimumStability: input.minimumStability });
      return redirectWith(c, back, "ok", "Saved.");
    });
  });

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/groups", async () => {
      const services = c.get("services");
      const id = routeId(c.req.param("id"));
      const group = (await loadGroups(services, id))[0];
      if (!group) throw notFound("No such group.");
      await deleteGroup(services, id);
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
  const minimumStability = field(form, "minimumStability", 10);
  return {
    name: field(form, "name", 100),
    expiredUpdatesAt: field(form, "expiredUpdatesAt", 40),
    packages,
    hideSources: field(form, "hideSources", 1) === "1",
    hideDevVersions: field(form, "hideDevVersions", 1) === "1",
    minimumStability: minimumStability === "" || minimumStability === "dev" ? null : minimumStability,
  };
}

async function loadGroups(services: Services, id?: number): Promise<GroupView[]> {
  const { rows, grants } = await listGroups(services.db, { id, grantOrder: "pattern" });
  if (rows.length === 0) return [];
  const members = await groupMembers(services.db, id);
  return rows.map((row) => ({
    id: row.id,
    name: row.name,
    expiredUpdatesAt: row.expiredUpdatesAt,
    hideSources: row.hideSources,
    hideDevVersions: row.hideDevVersions,
    minimumStability: row.minimumStability,
    grants: grants.filter((grant) => grant.groupId === row.id).map((grant) => ({ pattern: grant.pattern, constraint: grant.versionConstraint })),
    members: members.filter((member) => member.groupId === row.id).map(({ id: memberId, username }) => ({ id: memberId, username })),
  }));
}
