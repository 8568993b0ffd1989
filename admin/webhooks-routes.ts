// /admin/webhooks: outgoing hooks (list, create, edit, delivery log, send test, new secret,
// delete), the allow-list of private hosts, and the incoming hooks' setup and secrets. Input
// goes through the API's own checks (checkHookSettings, checkedSecretInput).
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { routeId } from "../src/http/json-body.ts";
import { idParams } from "../src/http/route-params.ts";
import type { Services } from "../src/services.ts";
import { checkedSecretInput, createHookSecret, deleteHookSecret, listHookSecrets } from "../src/webhooks/incoming/hook-secret-store.ts";
import { addAllowedHost, listAllowedHosts, removeAllowedHost } from "../src/webhooks/outgoing/allowed-host-store.ts";
import { checkHookSettings, type HookSettingsInput } from "../src/webhooks/outgoing/hook-input.ts";
import { createHook, deleteHook, deliveryLog, hookSettingsOf, listHooks, readHook, sendTest, updateHook } from "../src/webhooks/outgoing/hook-store.ts";
import { normalizeAllowedHost } from "../src/webhooks/outgoing/target-guard.ts";
import { webhookConfig } from "../src/webhooks/webhook-config.ts";
import { incomingHooksPage } from "./incoming-hooks-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, fieldList, readForm, type Form } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";
import { deliveriesPage } from "./webhook-deliveries-page.ts";
import { webhookEditPage, webhookFormPage, webhooksPage } from "./webhooks-page.ts";

export function webhookPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => {
    const services = c.get("services");
    const rows = await listHooks(services.db);
    const hosts = await listAllowedHosts(services.db);
    const hooks = rows.map(({ row, last: latest }) => {
      const [status, at] = latest?.split(" ") ?? [];
      return { ...hookSettingsOf(row), id: row.id, lastStatus: status ?? null, lastAt: at ? Number(at) : null };
    });
    const view = { csrf: c.get("csrf"), hooks, allowedHosts: hosts.map((row) => row.host), envHosts: webhookConfig(services.config).allowHosts };
    return render(c, "Webhooks", webhooksPage(view), { active: "webhooks" });
  });

  pages.get("/new", (c) => render(c, "New webhook", webhookFormPage({ csrf: c.get("csrf"), id: null, settings: null }), { active: "webhooks" }));

  pages.post("/", (c) =>
    formAction(c, "/admin/webhooks/new", async () => {
      const services = c.get("services");
      const { row, secret } = await createHook(services, await checkHookSettings(services, settingsFrom(await readForm(c))));
      await auditFrom(c, c.get("session"), "webhook created", row.name, { id: row.id, url: row.url });
      return render(c, row.name, webhookEditPage({ csrf: c.get("csrf"), id: row.id, settings: hookSettingsOf(row), secret }), { active: "webhooks" });
    }),
  );

  pages.post("/allowed-hosts", (c) =>
    formAction(c, "/admin/webhooks", async () => {
      const services = c.get("services");
      const host = normalizeAllowedHost(field(await readForm(c), "host", 300));
      if (!host) throw badRequest("Give a host name or address, optionally with a port.");
      await addAllowedHost(services.db, host, services.now());
      await auditFrom(c, c.get("session"), "webhook host allowed", host);
      return redirectWith(c, "/admin/webhooks", "ok", `Webhooks may now reach ${host}.`);
    }),
  );

  pages.post("/allowed-hosts/delete", (c) =>
    formAction(c, "/admin/webhooks", async () => {
      const host = field(await readForm(c), "host", 300);
      await removeAllowedHost(c.get("services").db, host);
      await auditFrom(c, c.get("session"), "webhook host removed", host);
      return redirectWith(c, "/admin/webhooks", "ok", `${host} is no longer allowed.`);
    }),
  );

  pages.get("/incoming", (c) => incomingView(c));

  pages.post("/incoming", (c) =>
    formAction(c, "/admin/webhooks/incoming", async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const input = await checkedSecretInput(services, { name: field(form, "name", 100), packageName: field(form, "package", 255), provider: field(form, "provider", 20) });
      const { row, secret } = await createHookSecret(services, input);
      await auditFrom(c, c.get("session"), "webhook secret created", row.name, { id: row.id, provider: row.provider, packageId: row.packageId });
      return incomingView(c, secret);
    }),
  );

  pages.post("/incoming/:id/delete", (c) =>
    formAction(c, "/admin/webhooks/incoming", async () => {
      const row = await deleteHookSecret(c.get("services").db, routeId(c.req.param("id")));
      if (!row) throw notFound("No such secret.");
      await auditFrom(c, c.get("session"), "webhook secret deleted", row.name, { id: row.id });
      return redirectWith(c, "/admin/webhooks/incoming", "ok", `${row.name} was deleted; hooks signed with it are refused.`);
    }),
  );

  pages.get("/:id", idParams("id"), async (c) => {
    const row = await readHook(c.get("services").db, c.req.valid("param").id);
    return render(c, row.name, webhookEditPage({ csrf: c.get("csrf"), id: row.id, settings: hookSettingsOf(row) }), { active: "webhooks" });
  });

  pages.post("/:id", (c) =>
    formAction(c, `/admin/webhooks/${c.req.param("id")}`, async () => {
      const services = c.get("services");
      const row = await hookOf(services, c.req.param("id"));
      const { row: saved } = await updateHook(services, row, await checkHookSettings(services, settingsFrom(await readForm(c)), hookSettingsOf(row)));
      await auditFrom(c, c.get("session"), "webhook changed", saved.name, { id: saved.id, url: saved.url });
      return redirectWith(c, `/admin/webhooks/${saved.id}`, "ok", "Saved.");
    }),
  );

  pages.post("/:id/rotate", (c) =>
    formAction(c, `/admin/webhooks/${c.req.param("id")}`, async () => {
      const services = c.get("services");
      const row = await hookOf(services, c.req.param("id"));
      const { secret } = await updateHook(services, row, hookSettingsOf(row), { rotate: true });
      await auditFrom(c, c.get("session"), "webhook secret rotated", row.name, { id: row.id });
      return render(c, row.name, webhookEditPage({ csrf: c.get("csrf"), id: row.id, settings: hookSettingsOf(row), secret }), { active: "webhooks" });
    }),
  );

  pages.post("/:id/test", (c) =>
    formAction(c, `/admin/webhooks/${c.req.param("id")}`, async () => {
      const row = await hookOf(c.get("services"), c.req.param("id"));
      const delivery = await sendTest(c.get("services"), row);
      const outcome = delivery?.status === "succeeded" ? `answered ${delivery.lastStatus}` : `failed: ${delivery?.lastError ?? "not sent"}`;
      return redirectWith(c, `/admin/webhooks/${row.id}/deliveries`, delivery?.status === "succeeded" ? "ok" : "error", `Test sent; the receiver ${outcome}`);
    }),
  );

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/webhooks", async () => {
      const services = c.get("services");
      const row = await hookOf(services, c.req.param("id"));
      await deleteHook(services.db, row.id);
      await auditFrom(c, c.get("session"), "webhook deleted", row.name, { id: row.id });
      return redirectWith(c, "/admin/webhooks", "ok", `${row.name} was deleted.`);
    }),
  );

  pages.get("/:id/deliveries", idParams("id"), async (c) => {
    const services = c.get("services");
    const row = await readHook(services.db, c.req.valid("param").id);
    const deliveries = await deliveryLog(services, row.id, 100);
    return render(c, `Deliveries of ${row.name}`, deliveriesPage({ csrf: c.get("csrf"), id: row.id, name: row.name, deliveries }), { active: "webhooks" });
  });

  return pages;
}

async function incomingView(c: PageContext, created?: string) {
  const services = c.get("services");
  const view = { csrf: c.get("csrf"), base: publicBase(c, services.config.publicUrl), secrets: await listHookSecrets(services), created };
  return render(c, "Incoming hooks", incomingHooksPage(view), { active: "webhooks" });
}

function hookOf(services: Services, rawId: string | undefined) {
  return readHook(services.db, routeId(rawId));
}

/** The form's fields as the API's settings document. */
function settingsFrom(form: Form): HookSettingsInput {
  const headers: Record<string, string> = {};
  for (const line of field(form, "headers", 20_000).split(/\r?\n/)) {
    if (!line.trim()) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw badRequest(`"${line.slice(0, 60)}" is not a header line (Name: value).`);
    headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  return {
    name: field(form, "name", 100),
    url: field(form, "url", 2048),
    method: field(form, "method", 10),
    events: fieldList(form, "events"),
    packageFilter: field(form, "packageFilter", 500) || null,
    versionConstraint: field(form, "versionConstraint", 500) || null,
    headers,
    template: field(form, "template", 20_000) || null,
    contentType: field(form, "contentType", 100),
    active: field(form, "active", 5) === "1",
  };
}
