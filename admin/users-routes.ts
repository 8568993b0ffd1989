// /admin/users: create, edit (roles, groups, expiry, disable), revoke tokens, delete. Input goes
// through the API's own validation (readUserInput) and saveUser.
import { Hono } from "hono";
import { revokeToken } from "../src/auth/api-tokens.ts";
import { auditFrom } from "../src/audit/audit-log.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { routeId, type JsonObject } from "../src/http/json-body.ts";
import { idParams } from "../src/http/route-params.ts";
import { listApiTokens } from "../src/auth/token-store.ts";
import { groupNames } from "../src/groups/group-store.ts";
import { readUserInput } from "../src/users/user-input.ts";
import { deleteUser, listUsers, readUser, saveUser, type UserWithGroups } from "../src/users/user-store.ts";
import type { Services } from "../src/services.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, fieldList, readForm, type Form } from "./form-input.ts";
import type { PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";
import { userEditPage, usersPage, type UserListRow } from "./users-page.ts";

export function userPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", async (c) => {
    const services = c.get("services");
    const view = { csrf: c.get("csrf"), users: (await listUsers(services.db, "username")).map(listRow), groups: await groupNames(services.db), now: services.now() };
    return render(c, "Users", usersPage(view), { active: "users" });
  });

  pages.post("/", (c) =>
    formAction(c, "/admin/users", async () => {
      const services = c.get("services");
      const form = await readForm(c);
      const input = readUserInput(userDocument(form, true), true);
      const id = await saveUser(services, null, input);
      await auditFrom(c, c.get("session"), "user created", input.username ?? "", { id, roles: input.roles, groups: input.groups ?? [] });
      return redirectWith(c, `/admin/users/${id}`, "ok", `${input.username} was created.`);
    }),
  );

  pages.get("/:id", idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    const user = listRow(await readUser(services.db, id));
    const userTokens = await listApiTokens(services.db, id);
    const view = { csrf: c.get("csrf"), user, groups: await groupNames(services.db), tokens: userTokens, isSelf: id === c.get("session").userId };
    return render(c, user.username, userEditPage(view), { active: "users" });
  });

  pages.post("/:id", async (c) => {
    const back = `/admin/users/${c.req.param("id")}`;
    return formAction(c, back, async () => {
      const services = c.get("services");
      const id = routeId(c.req.param("id"));
      const existing = await readUser(services.db, id);
      const input = readUserInput(userDocument(await readForm(c), false), false);
      if (id === c.get("session").userId && (input.disabled || !input.roles?.includes("ROLE_ADMIN"))) throw badRequest("You cannot disable yourself or drop your own admin role.");
      await saveUser(services, id, input);
      await auditFrom(c, c.get("session"), "user changed", existing.username, {
        roles: input.roles, groups: input.groups, disabled: input.disabled, passwordChanged: input.password !== undefined,
        expiresAt: input.expiresAt ?? null, expiredUpdatesAt: input.expiredUpdatesAt ?? null,
      });
      return redirectWith(c, back, "ok", "Saved.");
    });
  });

  pages.post("/:id/tokens/:token/revoke", async (c) => {
    const back = `/admin/users/${c.req.param("id")}`;
    return formAction(c, back, async () => {
      const tokenId = routeId(c.req.param("token"));
      if (!(await revokeToken(c.get("services"), tokenId, routeId(c.req.param("id"))))) throw notFound("No such token.");
      await auditFrom(c, c.get("session"), "token revoked", `user ${c.req.param("id")} token ${tokenId}`);
      return redirectWith(c, back, "ok", "The token was revoked.");
    });
  });

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/users", async () => {
      const services = c.get("services");
      const id = routeId(c.req.param("id"));
      const username = await deleteUser(services, c.get("session").userId, id);
      await auditFrom(c, c.get("session"), "user deleted", username);
      return redirectWith(c, "/admin/users", "ok", `${username} was deleted.`);
    }),
  );

  return pages;
}

/** The form as the JSON document POST/PUT /api/users takes, so both share one validation. */
function userDocument(form: Form, creating: boolean): JsonObject {
  const doc: JsonObject = {
    email: field(form, "email", 254),
    roles: fieldList(form, "roles"),
    groups: fieldList(form, "groups").map(Number),
    expiresAt: field(form, "expiresAt", 40),
    expiredUpdatesAt: field(form, "expiredUpdatesAt", 40),
  };
  if (creating) doc.username = field(form, "username", 64);
  else doc.disabled = field(form, "disabled") === "1";
  const password = typeof form.password === "string" ? form.password : "";
  if (password) doc.password = password;
  if ((doc.roles as string[]).length === 0) throw badRequest("Pick at least one role.");
  return doc;
}

function listRow(row: UserWithGroups): UserListRow {
  return {
    id: row.id,
    username: row.username,
    email: row.email,
    roles: row.roles,
    groupIds: row.groupIds,
    expiresAt: row.expiresAt,
    expiredUpdatesAt: row.expiredUpdatesAt,
    disabled: row.disabled,
    twoFactor: row.totpSecretEnc !== null,
  };
}
