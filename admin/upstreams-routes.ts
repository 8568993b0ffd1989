// /admin/upstreams: list with cache state, add, edit, delete, approvals, proxy access and the
// clash check. Input goes through the API's own validation (readUpstreamInput) and changes.
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { groupNames } from "../src/groups/group-store.ts";
import { routeId, type JsonObject } from "../src/http/json-body.ts";
import { idParams } from "../src/http/route-params.ts";
import {
  approvals, approve, cacheStates, checkClashes, clashes, deleteUpstream, findUpstream, proxyAccess, revokeApproval, saveProxyAccess, saveUpstream, upstreamView, listUpstreams,
} from "../src/proxy/upstream-store.ts";
import { readApprovalPattern, readUpstreamInput } from "../src/proxy/upstream-input.ts";
import type { Services } from "../src/services.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, fieldList, readForm, type Form } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";
import { upstreamEditPage, upstreamsPage, type UpstreamListRow } from "./upstreams-page.ts";

export function upstreamPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => {
    const services = c.get("services");
    const [rows, access, groupRows, clashRows] = await Promise.all([listRows(services), proxyAccess(services), groupNames(services.db), clashes(services)]);
    const view = { csrf: c.get("csrf"), rows, policy: access.policy, accessGroups: access.groups, groups: groupRows, clashes: clashRows };
    return render(c, "Upstreams", upstreamsPage(view), { active: "upstreams" });
  });

  pages.post("/", (c) =>
    formAction(c, "/admin/upstreams", async () => {
      const services = c.get("services");
      const row = await saveUpstream(services, null, await readUpstreamInput(upstreamDocument(await readForm(c), true), true, services.config.encryptionKey));
      await auditFrom(c, c.get("session"), "upstream added", row.name, { id: row.id, url: row.url });
      return redirectWith(c, "/admin/upstreams", "ok", `${row.name} was added.`);
    }),
  );

  pages.post("/access", (c) =>
    formAction(c, "/admin/upstreams", async () => {
      const form = await readForm(c);
      const policy = field(form, "policy") === "groups" ? "groups" : "everyone";
      const ids = fieldList(form, "groups").map(Number).filter((id) => Number.isSafeInteger(id) && id > 0);
      await saveProxyAccess(c.get("services"), policy, [...new Set(ids)]);
      await auditFrom(c, c.get("session"), "proxy access changed", policy, { groups: ids });
      return redirectWith(c, "/admin/upstreams", "ok", "Proxy access saved.");
    }),
  );

  pages.post("/clashes/check", (c) =>
    formAction(c, "/admin/upstreams", async () => {
      const checked = await checkClashes(c.get("services"));
      return redirectWith(c, "/admin/upstreams", "ok", `Checked ${checked} private names against the upstreams.`);
    }),
  );

  pages.get("/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await findUpstream(services, id);
    const row = (await listRows(services)).find((candidate) => candidate.id === id);
    if (!row) return c.notFound();
    return render(c, row.name, upstreamEditPage({ csrf: c.get("csrf"), row, approvals: await approvals(services, id) }), { active: "upstreams" });
  });

  pages.post("/:id", async (c) => {
    const back = `/admin/upstreams/${c.req.param("id")}`;
    return formAction(c, back, async () => {
      const services = c.get("services");
      const id = routeId(c.req.param("id"));
      const row = await saveUpstream(services, id, await readUpstreamInput(upstreamDocument(await readForm(c), false), false, services.config.encryptionKey));
      await auditFrom(c, c.get("session"), "upstream changed", row.name, { id, url: row.url, strict: row.strict, priority: row.priority });
      return redirectWith(c, back, "ok", "Saved.");
    });
  });

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/upstreams", async () => {
      const row = await deleteUpstream(c.get("services"), routeId(c.req.param("id")));
      await auditFrom(c, c.get("session"), "upstream deleted", row.name, { id: row.id });
      return redirectWith(c, "/admin/upstreams", "ok", `${row.name} was deleted.`);
    }),
  );

  pages.post("/:id/approved", async (c) => {
    const back = `/admin/upstreams/${c.req.param("id")}`;
    return formAction(c, back, async () => {
      const pattern = readApprovalPattern({ pattern: field(await readForm(c), "pattern", 300) });
      await approve(c.get("services"), routeId(c.req.param("id")), pattern);
      await auditFrom(c, c.get("session"), "upstream package approved", pattern, { upstream: c.req.param("id") });
      return redirectWith(c, back, "ok", `${pattern} is approved.`);
    });
  });

  pages.post("/:id/approved/delete", async (c) => {
    const back = `/admin/upstreams/${c.req.param("id")}`;
    return formAction(c, back, async () => {
      const pattern = readApprovalPattern({ pattern: field(await readForm(c), "pattern", 300) });
      await revokeApproval(c.get("services"), routeId(c.req.param("id")), pattern);
      await auditFrom(c, c.get("session"), "upstream approval removed", pattern, { upstream: c.req.param("id") });
      return redirectWith(c, back, "ok", `${pattern} is no longer approved.`);
    });
  });

  return pages;
}

/** The form as the JSON document /api/upstreams takes; empty secrets keep the stored ones. */
function upstreamDocument(form: Form, creating: boolean): JsonObject {
  const document: JsonObject = {
    name: field(form, "name", 100),
    url: field(form, "url", 2048),
    priority: Number(field(form, "priority", 20) || "0"),
    username: field(form, "username", 255),
    cacheDists: field(form, "cacheDists") === "1",
    strict: field(form, "strict") === "1",
  };
  for (const secret of ["password", "bearer"]) {
    const value = field(form, secret, 4096);
    if (value || creating) document[secret] = value || null;
  }
  return document;
}

async function listRows(services: Services): Promise<UpstreamListRow[]> {
  await services.upstreams.stats.flush(services.db, services.now());
  const rows = await listUpstreams(services.db);
  const states = await cacheStates(services, rows.map((row) => row.id));
  return rows.map((row) => {
    const view = upstreamView(row, states.get(row.id));
    return {
      ...view,
      lastSyncAt: row.lastSyncAt,
      lastErrorAt: row.lastErrorAt,
      documents: view.stats.documents ?? 0,
      missing: view.stats.missing ?? 0,
      bytes: view.stats.bytes ?? 0,
      dists: view.stats.dists ?? 0,
      distBytes: view.stats.distBytes ?? 0,
      hits: row.hits,
      misses: row.misses,
      upstreamRequests: row.upstreamRequests,
    };
  });
}
