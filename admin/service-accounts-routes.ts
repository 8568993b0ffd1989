// /admin/service-accounts: create accounts, give them tokens (shown once), revoke, delete.
import { Hono } from "hono";
import { revokeToken } from "../src/auth/api-tokens.ts";
import { auditFrom } from "../src/audit/audit-log.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { optionalDate, routeId } from "../src/http/json-body.ts";
import { ServiceAccountStore } from "../src/identity/service-account-store.ts";
import { mintServiceAccountToken } from "../src/identity/service-account-tokens.ts";
import { apiTokensOf } from "../src/tokens/token-list.ts";
import { readUserInput } from "../src/users/user-input.ts";
import { saveUser } from "../src/users/user-store.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, fieldList, readForm } from "./form-input.ts";
import { serviceAccountsPage, type ServiceAccountsView } from "./service-accounts-page.ts";
import { requirePageScope } from "./session.ts";
import type { PageContext, PageEnv } from "./page-context.ts";

const HOME = "/admin/service-accounts";

export function serviceAccountPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", (c) => serviceAccountsView(c));

  pages.post("/", (c) =>
    formAction(c, HOME, async () => {
      const form = await readForm(c);
      const input = readUserInput({ username: field(form, "username", 64), roles: [field(form, "role", 40)] }, true);
      const id = await saveUser(c.get("services"), null, { ...input, kind: "service" });
      await auditFrom(c, c.get("session"), "service account created", input.username, { id, roles: input.roles });
      return redirectWith(c, HOME, "ok", `${input.username} was created. Give it a token below.`);
    }),
  );

  pages.post("/:id/tokens", (c) =>
    formAction(c, HOME, async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const name = field(form, "name", 100);
      if (!name) throw badRequest("Give the token a name.");
      const picked = fieldList(form, "scopes");
      const expiresAt = optionalDate({ expiresAt: field(form, "expiresAt", 40) }, "expiresAt") ?? null;
      const id = routeId(c.req.param("id"));
      const issued = await mintServiceAccountToken(services, id, { name, scopes: picked.length ? { scopes: picked } : {}, expiresAt });
      const account = await new ServiceAccountStore(services.db).find(id);
      await auditFrom(c, c.get("session"), "service account token created", account?.username ?? String(id), { tokenId: issued.id, scopes: issued.scopes });
      return serviceAccountsView(c, { account: account?.username ?? "", name, token: issued.token });
    }),
  );

  pages.post("/:id/tokens/:tokenId/revoke", (c) =>
    formAction(c, HOME, async () => {
      const id = routeId(c.req.param("id"));
      const account = await new ServiceAccountStore(c.get("services").db).find(id);
      if (!account || !(await revokeToken(c.get("services"), routeId(c.req.param("tokenId")), id))) throw notFound("No such token.");
      await auditFrom(c, c.get("session"), "service account token revoked", account.username, { tokenId: routeId(c.req.param("tokenId")) });
      return redirectWith(c, HOME, "ok", "The token was revoked.");
    }),
  );

  pages.post("/:id/delete", (c) =>
    formAction(c, HOME, async () => {
      const services = c.get("services");
      const id = routeId(c.req.param("id"));
      const store = new ServiceAccountStore(services.db);
      const account = await store.find(id);
      if (!account || !(await store.remove(id))) throw notFound("No such service account.");
      services.forgetAccess(id);
      await auditFrom(c, c.get("session"), "service account deleted", account.username, { id });
      return redirectWith(c, HOME, "ok", `${account.username} and its tokens were deleted.`);
    }),
  );

  return pages;
}

async function serviceAccountsView(c: PageContext, created?: ServiceAccountsView["created"]) {
  const services = c.get("services");
  const accounts = await new ServiceAccountStore(services.db).list();
  const withTokens = await Promise.all(accounts.map(async (account) => ({ ...account, tokens: await apiTokensOf(services.db, account.id) })));
  return render(c, "Service accounts", serviceAccountsPage({ csrf: c.get("csrf"), accounts: withTokens, created }), { active: "service-accounts" });
}
