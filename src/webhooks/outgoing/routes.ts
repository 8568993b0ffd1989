// /api/webhooks (admin): outgoing hooks, their delivery log and "send test"; the hosts an admin
// allows although private; and /api/webhook-invoke/{name}, the http_request event.
import { Hono } from "hono";
import { currentPrincipal, requireScope } from "../../auth/middleware.ts";
import { readRequestBytes } from "../../http/bounded-body.ts";
import type { AppEnv } from "../../http/context.ts";
import { badRequest, notFound } from "../../http/errors.ts";
import { optionalBoolean, readJsonObject, requiredString, type JsonObject } from "../../http/json-body.ts";
import { idParams, textParams } from "../../http/route-params.ts";
import { addAllowedHost, listAllowedHosts, removeAllowedHost } from "./allowed-host-store.ts";
import { emitEvent, makeEvent } from "./events.ts";
import { checkHookSettings, type HookSettingsInput } from "./hook-input.ts";
import { checkSecret, createHook, deleteHook, deliveryLog, findHookByName, hookSettingsOf, hookView, listHooks, readHook, sendTest, updateHook } from "./hook-store.ts";
import { normalizeAllowedHost } from "./target-guard.ts";

export function outgoingHookRoutes() {
  const api = new Hono<AppEnv>();
  for (const path of ["/webhooks", "/webhooks/*", "/webhook-allowed-hosts", "/webhook-allowed-hosts/*"]) api.use(path, requireScope("admin"));

  api.get("/webhooks", async (c) => {
    const rows = await listHooks(c.get("services").db);
    return c.json({ webhooks: rows.map(({ row }) => hookView(row)) });
  });

  api.post("/webhooks", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c, 64 * 1024);
    const settings = await checkHookSettings(services, settingsInput(body));
    const { row, secret } = await createHook(services, settings, checkSecret(body.secret));
    return c.json({ ...hookView(row), secret }, 201);
  });

  api.get("/webhooks/:id", idParams("id"), async (c) => c.json(hookView(await readHook(c.get("services").db, c.req.valid("param").id))));

  api.put("/webhooks/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await readHook(services.db, c.req.valid("param").id);
    const body = await readJsonObject(c, 64 * 1024);
    const settings = await checkHookSettings(services, settingsInput(body), hookSettingsOf(row));
    const updated = await updateHook(services, row, settings, { given: checkSecret(body.secret), rotate: optionalBoolean(body, "rotateSecret") });
    return c.json({ ...hookView(updated.row), ...(updated.secret ? { secret: updated.secret } : {}) });
  });

  api.delete("/webhooks/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await readHook(services.db, c.req.valid("param").id);
    await deleteHook(services.db, row.id);
    return c.body(null, 204);
  });

  api.post("/webhooks/:id/test", idParams("id"), async (c) => {
    const services = c.get("services");
    return c.json({ delivery: await sendTest(services, await readHook(services.db, c.req.valid("param").id)) });
  });

  api.get("/webhooks/:id/deliveries", idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await readHook(services.db, c.req.valid("param").id);
    return c.json({ deliveries: await deliveryLog(services, row.id, 100) });
  });

  api.get("/webhook-allowed-hosts", async (c) => {
    const rows = await listAllowedHosts(c.get("services").db);
    return c.json({ hosts: rows.map((row) => row.host) });
  });

  api.post("/webhook-allowed-hosts", async (c) => {
    const services = c.get("services");
    const host = normalizeAllowedHost(requiredString(await readJsonObject(c), "host", 300));
    if (!host) throw badRequest('"host" must be a host name or address, optionally with a port (hooks.internal, 10.0.0.5:8080).');
    await addAllowedHost(services.db, host, services.now());
    return c.json({ host }, 201);
  });

  api.delete("/webhook-allowed-hosts/:host", textParams("host"), async (c) => {
    // Hono has decoded the parameter once; decoding again would throw on a literal "%".
    const host = c.req.valid("param").host.toLowerCase();
    const row = await removeAllowedHost(c.get("services").db, host);
    if (!row) throw notFound("That host is not on the allow-list.");
    return c.body(null, 204);
  });

  // Packeton's "http_request" trigger: the caller's JSON (or text) becomes `request` in the event.
  api.post("/webhook-invoke/:name", requireScope("packages:write"), textParams("name"), async (c) => {
    const services = c.get("services");
    const hook = await findHookByName(services.db, c.req.valid("param").name);
    if (!hook || !hook.active || !hook.events.includes("http_request")) throw notFound("No active hook of that name listens to http_request.");
    const text = new TextDecoder().decode(await readRequestBytes(c, 64 * 1024));
    let request: unknown = text;
    try {
      request = text ? JSON.parse(text) : null;
    } catch {
      // Not JSON: the template gets the text.
    }
    const event = makeEvent(services, "http_request", { request, user: { username: currentPrincipal(c).username } });
    return c.json({ status: "success", deliveries: await emitEvent(services, event, hook) }, 202);
  });

  return api;
}

function settingsInput(body: JsonObject): HookSettingsInput {
  const { name, url, method, events, packageFilter, versionConstraint, headers, template, contentType, active } = body;
  return { name, url, method, events, packageFilter, versionConstraint, headers, template, contentType, active };
}
