// /api/groups: package grants (name or vendor wildcard, optional version constraint) and the
// group's license-expiry freeze. A change moves the group's ACL clock.
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { isoOrNull, readJsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import type { Services } from "../services.ts";
import { readGroupInput } from "./group-input.ts";
import { deleteGroup, listGroups, readGroup, saveGroup, type GrantRow, type GroupRow } from "./group-store.ts";

export function groupRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/groups", requireScope("admin"));
  api.use("/groups/*", requireScope("admin"));

  api.get("/groups", async (c) => {
    const services = c.get("services");
    const { rows, grants } = await listGroups(services.db, { grantOrder: "id" });
    return c.json({ groups: rows.map((row) => groupView(row, grants.filter((g) => g.groupId === row.id))) });
  });

  api.post("/groups", async (c) => {
    const services = c.get("services");
    const id = await saveGroup(services, null, readGroupInput(await readJsonObject(c), true));
    return c.json(await loadGroupView(services, id), 201);
  });

  api.get("/groups/:id", idParams("id"), async (c) => c.json(await loadGroupView(c.get("services"), c.req.valid("param").id)));

  api.put("/groups/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await loadGroupView(services, id);
    await saveGroup(services, id, readGroupInput(await readJsonObject(c), false));
    return c.json(await loadGroupView(services, id));
  });

  api.delete("/groups/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await loadGroupView(services, id);
    await deleteGroup(services, id);
    return c.body(null, 204);
  });

  return api;
}

async function loadGroupView(services: Services, id: number) {
  const { row, grants } = await readGroup(services.db, id);
  return groupView(row, grants);
}

function groupView(row: GroupRow, grants: GrantRow[]) {
  return {
    id: row.id,
    name: row.name,
    expiredUpdatesAt: isoOrNull(row.expiredUpdatesAt),
    hideSources: row.hideSources,
    hideDevVersions: row.hideDevVersions,
    minimumStability: row.minimumStability,
    packages: grants.map((grant) => ({ name: grant.pattern, ...(grant.versionConstraint ? { version: grant.versionConstraint } : {}) })),
  };
}
