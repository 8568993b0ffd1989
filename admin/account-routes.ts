// /account: every signed-in user's own settings: password, two-factor, API tokens.
import { Hono } from "hono";
import { issueToken, revokeSession, revokeToken } from "../src/auth/api-tokens.ts";
import { verifyPassword } from "../src/crypto/password.ts";
import { SCOPES } from "../src/auth/roles.ts";
import { disableTotp, enableTotp, unusedRecoveryCodes, verifySecondFactor } from "../src/auth/second-factor.ts";
import { matchTotp, newTotpSecret, otpauthUri } from "../src/auth/totp.ts";
import { auditFrom } from "../src/audit/audit-log.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { optionalDate, routeId } from "../src/http/json-body.ts";
import { requestedExpiry, requestedScopes } from "../src/auth/token-request.ts";
import { findUser, saveUser } from "../src/users/user-store.ts";
import { listApiTokens, otherSessionIds } from "../src/auth/token-store.ts";
import { MIN_PASSWORD_LENGTH } from "../src/users/user-input.ts";
import { accountPage, recoveryCodesPage, totpSetupPage } from "./account-page.ts";
import { checkCsrf, csrfToken } from "./csrf.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, fieldList, readForm } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { requireSession, SESSION_TOKEN_NAME } from "./session.ts";
import { tokensPage } from "./tokens-page.ts";

export function accountPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requireSession());

  pages.get("/", async (c) => {
    const services = c.get("services");
    const me = c.get("session");
    const user = await findUser(services.db, me.userId);
    const totp = Boolean(user?.totpSecretEnc);
    const recoveryLeft = totp ? await unusedRecoveryCodes(services, me.userId) : 0;
    return render(c, "Account", accountPage({ csrf: c.get("csrf"), username: me.username, roles: me.roles, totp, recoveryLeft }), { active: "account" });
  });

  pages.post("/password", (c) =>
    formAction(c, "/account", async () => {
      const services = c.get("services");
      const me = c.get("session");
      const form = await readForm(c);
      const user = await findUser(services.db, me.userId);
      if (!(await verifyPassword(field(form, "current"), user?.passwordHash ?? null))) throw badRequest("The current password is wrong.");
      const password = field(form, "password");
      if (password.length < MIN_PASSWORD_LENGTH) throw badRequest(`The new password needs at least ${MIN_PASSWORD_LENGTH} characters.`);
      if (password !== field(form, "confirm")) throw badRequest("The two new passwords differ.");
      await saveUser(services, me.userId, { password });
      // Other browser sessions end: a changed password is often a response to a leak.
      for (const other of await otherSessionIds(services.db, me.userId, me.tokenId)) await revokeSession(services, other, me.userId);
      await auditFrom(c, me, "password changed", me.username);
      return redirectWith(c, "/account", "ok", "Your password was changed.");
    }),
  );

  pages.get("/2fa", async (c) => {
    const me = c.get("session");
    const secret = newTotpSecret();
    const signature = await csrfToken(c.get("services"), `totp:${me.userId}:${secret}`);
    const uri = otpauthUri(secret, me.username, new URL(publicBase(c, c.get("services").config.publicUrl)).host);
    return render(c, "Two-factor authentication", totpSetupPage({ csrf: c.get("csrf"), secret, signature, uri }), { active: "account" });
  });

  pages.post("/2fa", (c) =>
    formAction(c, "/account/2fa", async () => {
      const services = c.get("services");
      const me = c.get("session");
      const form = await readForm(c);
      const secret = field(form, "secret", 64);
      if (!(await checkCsrf(services, `totp:${me.userId}:${secret}`, field(form, "signature", 100)))) throw badRequest("The setup form was tampered with; start again.");
      const step = await matchTotp(secret, field(form, "otp", 20), services.now());
      if (step === null) throw badRequest("That code does not match. Check the clock of your phone and try again with a new key.");
      const codes = await enableTotp(services, me.userId, secret, step);
      await auditFrom(c, me, "two-factor enabled", me.username);
      return render(c, "Recovery codes", recoveryCodesPage(codes), { active: "account" });
    }),
  );

  pages.post("/2fa/disable", (c) =>
    formAction(c, "/account", async () => {
      const services = c.get("services");
      const me = c.get("session");
      const form = await readForm(c);
      const user = await findUser(services.db, me.userId);
      if (!user || !(await verifyPassword(field(form, "password"), user.passwordHash))) throw badRequest("The password is wrong.");
      if (!(await verifySecondFactor(services, user, field(form, "otp", 64)))) throw badRequest("That code is wrong or was already used.");
      await disableTotp(services, me.userId);
      await auditFrom(c, me, "two-factor disabled", me.username);
      return redirectWith(c, "/account", "ok", "Two-factor authentication is off.");
    }),
  );

  pages.get("/tokens", async (c) => tokensView(c));

  pages.post("/tokens", (c) =>
    formAction(c, "/account/tokens", async () => {
      const services = c.get("services");
      const me = c.get("session");
      const form = await readForm(c);
      const name = field(form, "name", 100);
      if (!name) throw badRequest("Give the token a name.");
      if (name === SESSION_TOKEN_NAME) throw badRequest("That name is reserved for browser sessions.");
      const picked = fieldList(form, "scopes");
      const scopes = requestedScopes(picked.length ? { scopes: picked } : {}, me);
      // A signed-in human made it: no parent, and it may outlive this 12 h session.
      const expiresAt = requestedExpiry(optionalDate({ expiresAt: field(form, "expiresAt", 40) }, "expiresAt") ?? null, me, services.now());
      const issued = await issueToken(services, { userId: me.userId, name, kind: "api", scopes, expiresAt, parentId: null });
      await auditFrom(c, me, "token created", name, { tokenId: issued.id, scopes });
      return tokensView(c, { name, token: issued.token });
    }),
  );

  pages.post("/tokens/:id/revoke", (c) =>
    formAction(c, "/account/tokens", async () => {
      const me = c.get("session");
      const id = routeId(c.req.param("id"));
      if (!(await revokeToken(c.get("services"), id, me.userId))) throw notFound("No such token.");
      await auditFrom(c, me, "token revoked", String(id));
      return redirectWith(c, "/account/tokens", "ok", "The token was revoked. Composer runs using it now fail.");
    }),
  );

  return pages;
}

async function tokensView(c: PageContext, created?: { name: string; token: string }) {
  const services = c.get("services");
  const me = c.get("session");
  const rows = await listApiTokens(services.db, me.userId, services.now());
  const setup = { base: publicBase(c, services.config.publicUrl), username: me.username };
  const scopes = SCOPES.filter((scope) => me.scopes.includes(scope));
  return render(c, "API tokens", tokensPage({ csrf: c.get("csrf"), tokens: rows, created, setup, scopes }), { active: "tokens" });
}
