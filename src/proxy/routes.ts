// /api/upstreams (contract): upstream repositories, their approvals (strict mode) and cache
// state; /api/proxy-access: who may use the proxy; /api/upstreams/clashes: private names an
// upstream also has. Admin only; secrets are write-only.
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { groupNames } from "../groups/group-store.ts";
import type { AppEnv } from "../http/context.ts";
import { badRequest } from "../http/errors.ts";
import { optionalIdList, readJsonObject, type JsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import type { Services } from "../services.ts";
import { readApprovalPattern, readUpstreamInput } from "./upstream-input.ts";
import {
  approvals, approve, cacheStates, checkClashes, clashes, deleteUpstream, findUpstream, proxyAccess, revokeApproval, saveProxyAccess, saveUpstream, upstreamView, type UpstreamRow, listUpstreams,
} from "./upstream-store.ts";

export function upstreamRoutes() {
  const api = new Hono<AppEnv>();
  for (const path of ["/upstreams", "/upstreams/*", "/proxy-access"]) api.use(path, requireScope("admin"));

  api.get("/upstreams", async (c) => {
    const services = c.get("services");
    await services.upstreams.stats.flush(services.db, services.now());
    const rows = await listUpstreams(services.db);
    return c.json({ upstreams: await views(services, rows) });
  });

  api.post("/upstreams", async (c) => {
    const services = c.get("services");
    const row = await saveUpstream(services, null, await readUpstreamInput(await readJsonObject(c), true, services.config.encryptionKey));
    return c.json(upstreamView(row), 201);
  });

  api.get("/upstreams/clashes", async (c) => c.json({ clashes: await clashes(c.get("services")) }));
  api.post("/upstreams/clashes/check", async (c) => {
    const services = c.get("services");
    const checked = await checkClashes(services);
    return c.json({ checked, clashes: await clashes(services) });
  });

  api.get("/upstreams/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    await services.upstreams.stats.flush(services.db, services.now());
    const [view] = await views(services, [await findUpstream(services, c.req.valid("param").id)]);
    return c.json(view);
  });

  api.put("/upstreams/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await findUpstream(services, id);
    const values = await readUpstreamInput(await readJsonObject(c), false, services.config.encryptionKey);
    return c.json(upstreamView(Object.keys(values).length ? await saveUpstream(services, id, values) : await findUpstream(services, id)));
  });

  api.delete("/upstreams/:id", idParams("id"), async (c) => {
    await deleteUpstream(c.get("services"), c.req.valid("param").id);
    return c.body(null, 204);
  });

  api.get("/upstreams/:id/approved", idParams("id"), async (c) => c.json({ approved: await approvals(c.get("services"), c.req.valid("param").id) }));

  api.post("/upstreams/:id/approved", idParams("id"), async (c) => {
    const pattern = readApprovalPattern(await readJsonObject(c));
    const created = await approve(c.get("services"), c.req.valid("param").id, pattern);
    return c.json({ pattern }, created ? 201 : 200);
  });

  api.delete("/upstreams/:id/approved", idParams("id"), async (c) => {
    const query = c.req.query("pattern");
    const body: JsonObject = query !== undefined ? { pattern: query } : await readJsonObject(c);
    await revokeApproval(c.get("services"), c.req.valid("param").id, readApprovalPattern(body));
    return c.body(null, 204);
  });

  api.get("/proxy-access", async (c) => c.json(await proxyAccess(c.get("services"))));

  api.put("/proxy-access", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    if (body.policy !== "everyone" && body.policy !== "groups") throw badRequest('"policy" must be "everyone" or "groups".');
    const ids = optionalIdList(body, "groups") ?? [];
    const known = ids.length ? await groupNames(services.db) : [];
    if (ids.some((id) => !known.some((group) => group.id === id))) throw badRequest('"groups" names a group that does not exist.');
    await saveProxyAccess(services, body.policy, ids);
    return c.json(await proxyAccess(services));
  });

  return api;
}

async function views(services: Services, rows: UpstreamRow[]) {
  const states = await cacheStates(services, rows.map((row) => row.id));
  return rows.map((row) => upstreamView(row, states.get(row.id)));
}
