// /admin/policies: version flags, the plugin allowlist and the minimum Composer version. Input
// goes through the API's own validation and domain verbs (src/policies/).
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { notFound } from "../src/http/errors.ts";
import { routeId } from "../src/http/json-body.ts";
import { findPackageByName } from "../src/packages/package-store.ts";
import { applyPolicies } from "../src/policies/apply-policies.ts";
import { allFlags } from "../src/policies/flag-store.ts";
import { readPolicyInput } from "../src/policies/policy-input.ts";
import { readPolicies } from "../src/policies/policy-store.ts";
import { flagVersion, liftVersionFlag, readFlagInput } from "../src/policies/version-flags.ts";
import { field, readForm } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { policiesPage } from "./policies-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { requirePageScope } from "./session.ts";

export function policyPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => {
    const { db } = c.get("services");
    return render(c, "Policies", policiesPage({ csrf: c.get("csrf"), policies: await readPolicies(db), flags: await allFlags(db) }), { active: "policies" });
  });

  pages.post("/", (c) =>
    formAction(c, "/admin/policies", async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const allowed = field(form, "allowedPlugins", 100_000).split(/\r?\n/).map((line) => line.trim().toLowerCase()).filter(Boolean);
      const current = await readPolicies(services.db);
      const next = readPolicyInput({ pluginAllowlist: { enabled: field(form, "pluginAllowlistEnabled", 1) === "1", allowed }, minimumComposerVersion: field(form, "minimumComposerVersion", 50) || null }, current);
      await applyPolicies(services, current, next);
      await auditFrom(c, c.get("session"), "policies changed", null, { ...next });
      return redirectWith(c, "/admin/policies", "ok", "Saved.");
    }),
  );

  pages.post("/flags", (c) =>
    formAction(c, "/admin/policies", async () => {
      const form = await readForm(c);
      const pkg = await findPackageByName(c.get("services").db, field(form, "package", 255).trim().toLowerCase());
      if (!pkg) throw notFound("There is no such package.");
      const input = readFlagInput({ version: field(form, "version", 255), kind: field(form, "kind", 20), reason: field(form, "reason", 1000) });
      await flagVersion(c, c.get("session"), pkg, input);
      return redirectWith(c, "/admin/policies", "ok", `${pkg.name} ${input.version} is flagged: left out of the metadata, its archive answers 410.`);
    }),
  );

  pages.post("/flags/:id/lift", (c) =>
    formAction(c, "/admin/policies", async () => {
      const form = await readForm(c);
      const pkg = await findPackageByName(c.get("services").db, field(form, "package", 255));
      if (!pkg) throw notFound("There is no such package.");
      await liftVersionFlag(c, c.get("session"), pkg, routeId(c.req.param("id")));
      return redirectWith(c, "/admin/policies", "ok", "The flag is lifted.");
    }),
  );

  return pages;
}
