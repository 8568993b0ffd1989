// /admin/identity-providers: add and delete OpenID Connect sign-in providers (same rules as the API).
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { routeId } from "../src/http/json-body.ts";
import { providerSettings } from "../src/identity/identity-provider-input.ts";
import { IdentityProviderStore, type ProviderSettings } from "../src/identity/identity-provider-store.ts";
import { identityProvidersPage } from "./identity-providers-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, readForm } from "./form-input.ts";
import { requirePageScope } from "./session.ts";
import type { PageContext, PageEnv } from "./page-context.ts";

const HOME = "/admin/identity-providers";
const list = (text: string) => text.split(",").map((item) => item.trim()).filter(Boolean);

export function identityProviderPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));
  const store = (c: PageContext) => new IdentityProviderStore(c.get("services").db, c.get("services").config.encryptionKey);

  pages.get("/", async (c) => {
    const view = { csrf: c.get("csrf"), providers: await store(c).list(), callbackBase: publicBase(c, c.get("services").config.publicUrl) };
    return render(c, "Sign-in providers", identityProvidersPage(view), { active: "identity-providers" });
  });

  pages.post("/", (c) =>
    formAction(c, HOME, async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const roleMappings = field(form, "roleMappings", 4000).split(/\r?\n/).filter((line) => line.includes("=")).map((line) => {
        const [group = "", role = ""] = line.split("=");
        return { group: group.trim(), role: role.trim() };
      });
      const body = {
        name: field(form, "name", 100),
        slug: field(form, "slug", 40),
        issuer: field(form, "issuer", 500),
        clientId: field(form, "clientId", 255),
        scopes: field(form, "scopes", 255) || undefined,
        allowSignUp: field(form, "allowSignUp", 1) === "1",
        allowedDomains: list(field(form, "allowedDomains", 2000)),
        requiredGroups: list(field(form, "requiredGroups", 2000)),
        roleMappings,
        defaultRole: field(form, "defaultRole", 40) || undefined,
        loginExpression: field(form, "loginExpression", 2000) || null,
      };
      const settings = providerSettings(body, true, services.config.allowInsecureOidcIssuers === true) as ProviderSettings;
      const secret = field(form, "clientSecret", 1024);
      if (!secret) throw badRequest("Give the provider's client secret.");
      const created = await store(c).create(settings, secret, services.now());
      await auditFrom(c, c.get("session"), "identity provider added", created.slug, { issuer: created.issuer });
      return redirectWith(c, HOME, "ok", `${created.name} was added. Register the redirect URI shown below at the provider.`);
    }),
  );

  pages.post("/:id/delete", (c) =>
    formAction(c, HOME, async () => {
      const id = routeId(c.req.param("id"));
      const provider = await store(c).find({ id });
      if (!provider || !(await store(c).remove(id))) throw notFound("No such provider.");
      await auditFrom(c, c.get("session"), "identity provider deleted", provider.slug, { id });
      return redirectWith(c, HOME, "ok", `${provider.name} was deleted, with the identities linked through it.`);
    }),
  );

  return pages;
}
