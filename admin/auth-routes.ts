// Sign-in, second factor, sign-out and first-admin setup. Failed passwords and codes are
// throttled per address and account (src/auth/login-throttle.ts, as POST /api/auth/token).
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { reserveLoginAttempt } from "../src/auth/login-throttle.ts";
import { verifyPassword } from "../src/crypto/password.ts";
import { passwordSignInRefusal, signInHash } from "../src/auth/sign-in-policy.ts";
import { loadPrincipal } from "../src/auth/principal.ts";
import { hasSecondFactor, verifySecondFactor } from "../src/auth/second-factor.ts";
import { recordAudit } from "../src/audit/audit-log.ts";
import { IdentityProviderStore } from "../src/identity/identity-provider-store.ts";
import { directoryUser } from "../src/identity/directory-sign-in.ts";
import { clientIp } from "../src/http/context.ts";
import { checkSetupToken, consumeSetupToken } from "../src/users/bootstrap.ts";
import { adminExists, findUser, findUserByName, saveUser } from "../src/users/user-store.ts";
import { MIN_PASSWORD_LENGTH, USERNAME_PATTERN } from "../src/users/user-input.ts";
import { checkCsrf, csrfToken, isHttps } from "./csrf.ts";
import { loginPage, secondFactorPage, setupPage } from "./login-page.ts";
import { PRE_SESSION_FORM_LIMIT, readForm } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { endSession, preSessionCsrf, sessionPrincipal, startSession } from "./session.ts";

const PENDING_COOKIE = "satchel_2fa";
const PENDING_MS = 5 * 60 * 1000;

export function authPages() {
  const pages = new Hono<PageEnv>();
  pages.use("/login", preSessionCsrf());
  pages.use("/login/*", preSessionCsrf());
  pages.use("/setup", preSessionCsrf());

  pages.get("/login", async (c) => {
    if (await sessionPrincipal(c)) return c.redirect("/", 302);
    const services = c.get("services");
    const providers = await new IdentityProviderStore(services.db, services.config.encryptionKey).list();
    return c.html(loginPage(c.get("csrf"), undefined, providers.filter((provider) => provider.kind !== "ldap")));
  });

  pages.post("/login", async (c) => {
    const services = c.get("services");
    const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
    const username = typeof form.username === "string" ? form.username.trim().slice(0, 64) : "";
    const password = typeof form.password === "string" ? form.password.slice(0, 1024) : "";
    const now = services.now();
    const attempt = await reserveLoginAttempt({ db: services.db, now }, clientIp(c), `user:${username.toLowerCase()}`);
    if (!attempt) return c.html(loginPage(c.get("csrf"), "Too many failed attempts. Try again in a few minutes."), 429);
    let user = await findUserByName(services.db, username);
    let ok = await verifyPassword(password, signInHash(user));
    const fromDirectory = ok ? null : await directoryUser(services, username, password, clientIp(c));
    if (fromDirectory) [user, ok] = [fromDirectory, true];
    const principal = user && ok ? await loadPrincipal(services.db, user.id) : null;
    if (!user || !principal || principal.disabled || (principal.expiresAt !== null && principal.expiresAt <= now)) {
      await recordAudit(services, { actor: null, action: "login failed", target: username, ip: clientIp(c) });
      return c.html(loginPage(c.get("csrf"), "Invalid username or password."), 401);
    }
    await attempt.release();
    const refusal = passwordSignInRefusal(services.config, user);
    if (refusal) return c.html(loginPage(c.get("csrf"), refusal), 403);
    if (hasSecondFactor(user)) {
      setCookie(c, PENDING_COOKIE, await pendingValue(c, user.id, now + PENDING_MS), { httpOnly: true, sameSite: "Strict", secure: isHttps(c), path: "/login", maxAge: PENDING_MS / 1000 });
      return c.html(secondFactorPage(c.get("csrf")));
    }
    await startSession(c, user.id);
    await recordAudit(services, { actor: principal, action: "login", ip: clientIp(c) });
    return c.redirect("/", 303);
  });

  pages.post("/login/otp", async (c) => {
    const services = c.get("services");
    const now = services.now();
    const userId = await pendingUser(c, getCookie(c, PENDING_COOKIE) ?? "", now);
    if (userId === null) return c.redirect("/login", 303);
    const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
    const code = typeof form.otp === "string" ? form.otp.slice(0, 64) : "";
    const attempt = await reserveLoginAttempt({ db: services.db, now }, clientIp(c), `otp:${userId}`);
    if (!attempt) return c.html(secondFactorPage(c.get("csrf"), "Too many wrong codes. Try again in a few minutes."), 429);
    const user = await findUser(services.db, userId);
    if (!user || !(await verifySecondFactor(services, user, code))) {
      return c.html(secondFactorPage(c.get("csrf"), "That code is wrong or was already used."), 401);
    }
    await attempt.release();
    deleteCookie(c, PENDING_COOKIE, { path: "/login" });
    await startSession(c, user.id);
    await recordAudit(services, { actor: { userId: user.id, username: user.username }, action: "login", details: { secondFactor: true }, ip: clientIp(c) });
    return c.redirect("/", 303);
  });

  // Sign-out needs the session's CSRF token (the layout's button sends it).
  pages.post("/logout", async (c) => {
    const principal = await sessionPrincipal(c);
    if (principal) {
      const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
      if (!(await checkCsrf(c.get("services"), `session:${principal.tokenJti ?? principal.userId}`, form._csrf))) return c.redirect("/", 303);
    }
    await endSession(c, principal);
    return c.redirect("/login", 303);
  });

  pages.get("/setup", async (c) => {
    const token = c.req.query("token") ?? "";
    if ((await adminExists(c.get("services").db)) || !(await checkSetupToken(c.get("services"), token))) return c.redirect("/login", 302);
    return c.html(setupPage(c.get("csrf"), token));
  });

  pages.post("/setup", async (c) => {
    const services = c.get("services");
    const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
    const token = typeof form.token === "string" ? form.token : "";
    if ((await adminExists(services.db)) || !(await checkSetupToken(services, token))) return c.redirect("/login", 303);
    const username = typeof form.username === "string" ? form.username.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const email = typeof form.email === "string" && form.email.trim() ? form.email.trim() : null;
    if (!USERNAME_PATTERN.test(username)) return c.html(setupPage(c.get("csrf"), token, "Choose a username of 2-64 letters, digits, . _ @ -"), 400);
    if (password.length < MIN_PASSWORD_LENGTH) return c.html(setupPage(c.get("csrf"), token, `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`), 400);
    const userId = await saveUser(services, null, { username, password, email, roles: ["ROLE_ADMIN"] });
    await consumeSetupToken(services);
    await recordAudit(services, { actor: { userId, username }, action: "setup: first admin created", target: username, ip: clientIp(c) });
    return c.redirect("/login", 303);
  });

  return pages;
}

// The password step's proof, carried to the code step: user id and deadline, signed.
async function pendingValue(c: PageContext, userId: number, until: number): Promise<string> {
  return `${userId}.${until}.${await csrfToken(c.get("services"), `2fa:${userId}:${until}`)}`;
}

async function pendingUser(c: PageContext, value: string, now: number): Promise<number | null> {
  const [id, until, mac] = value.split(".");
  const userId = Number(id);
  const deadline = Number(until);
  if (!Number.isSafeInteger(userId) || !Number.isFinite(deadline) || deadline < now || !mac) return null;
  return (await checkCsrf(c.get("services"), `2fa:${userId}:${deadline}`, mac)) ? userId : null;
}
