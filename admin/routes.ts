// Pages served by the edge app. A session is an API token (named "browser session", 12 h) kept
// in an HttpOnly, SameSite=Strict cookie; it is accepted on pages only, never on the API.
import { Hono, type Context } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { sql } from "drizzle-orm";
import { canSeePackage } from "../src/acl/visibility.ts";
import { checkToken, issueToken, revokeToken } from "../src/auth/api-tokens.ts";
import { verifyPassword } from "../src/auth/password.ts";
import { loadPrincipal, type Principal } from "../src/auth/principal.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { users } from "../src/db/schema.ts";
import { clientIp, type AppEnv } from "../src/http/context.ts";
import { adminExists, checkSetupToken, consumeSetupToken } from "../src/users/bootstrap.ts";
import { saveUser } from "../src/users/routes.ts";
import { USERNAME_PATTERN, MIN_PASSWORD_LENGTH } from "../src/users/user-input.ts";
import { homePage } from "./home-page.ts";
import { loginPage, setupPage } from "./login-page.ts";

const SESSION_COOKIE = "satchel_session";
const SESSION_MS = 12 * 60 * 60 * 1000;

export function adminRoutes() {
  const pages = new Hono<AppEnv>();

  pages.get("/", async (c) => {
    const principal = await sessionPrincipal(c);
    if (!principal) return c.redirect("/login", 302);
    const services = c.get("services");
    const { packages } = await services.catalog.snapshot(services.now());
    const visible = packages.filter((pkg) => canSeePackage(principal, pkg));
    return c.html(homePage({ username: principal.username, base: publicBase(c, services.config.publicUrl), packages: visible }));
  });

  pages.get("/login", (c) => c.html(loginPage()));

  pages.post("/login", async (c) => {
    if (!sameOrigin(c)) return c.html(loginPage("Your browser sent this form from another site."), 403);
    const services = c.get("services");
    const form = await c.req.parseBody();
    const username = typeof form.username === "string" ? form.username.trim().slice(0, 64) : "";
    const password = typeof form.password === "string" ? form.password.slice(0, 1024) : "";
    const now = services.now();
    const limitKey = `${clientIp(c)}\n${username.toLowerCase()}`;
    if (services.loginFailures.isLimited(limitKey, now)) return c.html(loginPage("Too many failed attempts. Try again in a few minutes."), 429);
    const user = await services.db.orm.select().from(users).where(sql`lower(${users.username}) = ${username.toLowerCase()}`).get();
    const ok = await verifyPassword(password, user?.passwordHash ?? null);
    const principal = user && ok ? await loadPrincipal(services.db, user.id) : null;
    if (!principal || principal.disabled || (principal.expiresAt !== null && principal.expiresAt <= now)) {
      services.loginFailures.hit(limitKey, now);
      return c.html(loginPage("Invalid username or password."), 401);
    }
    const session = await issueToken(services, { userId: principal.userId, name: "browser session", scopes: [], expiresAt: now + SESSION_MS });
    setCookie(c, SESSION_COOKIE, session.token, {
      httpOnly: true,
      sameSite: "Strict",
      secure: new URL(c.req.url).protocol === "https:",
      path: "/",
      maxAge: SESSION_MS / 1000,
    });
    return c.redirect("/", 303);
  });

  pages.post("/logout", async (c) => {
    const principal = await sessionPrincipal(c);
    if (principal?.tokenId !== undefined && sameOrigin(c)) await revokeToken(c.get("services"), principal.tokenId, principal.userId);
    deleteCookie(c, SESSION_COOKIE, { path: "/" });
    return c.redirect("/login", 303);
  });

  pages.get("/setup", async (c) => {
    const token = c.req.query("token") ?? "";
    if ((await adminExists(c.get("services"))) || !(await checkSetupToken(c.get("services"), token))) return c.redirect("/login", 302);
    return c.html(setupPage(token));
  });

  pages.post("/setup", async (c) => {
    const services = c.get("services");
    const form = await c.req.parseBody();
    const token = typeof form.token === "string" ? form.token : "";
    if (!sameOrigin(c) || (await adminExists(services)) || !(await checkSetupToken(services, token))) return c.redirect("/login", 303);
    const username = typeof form.username === "string" ? form.username.trim() : "";
    const password = typeof form.password === "string" ? form.password : "";
    const email = typeof form.email === "string" && form.email.trim() ? form.email.trim() : null;
    if (!USERNAME_PATTERN.test(username)) return c.html(setupPage(token, "Choose a username of 2-64 letters, digits, . _ @ -"), 400);
    if (password.length < MIN_PASSWORD_LENGTH) return c.html(setupPage(token, `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`), 400);
    await saveUser(services, null, { username, password, email, roles: ["ROLE_ADMIN"] });
    await consumeSetupToken(services);
    return c.redirect("/login", 303);
  });

  return pages;
}

async function sessionPrincipal(c: Context<AppEnv>): Promise<Principal | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const check = await checkToken(c.get("services"), token);
  return check.ok ? check.principal : null;
}

/** Forms must come from our own pages: the Origin (or Referer) must match the request's origin. */
function sameOrigin(c: Context<AppEnv>): boolean {
  const expected = new URL(c.req.url).origin;
  const origin = c.req.header("origin") ?? (c.req.header("referer") ? new URL(c.req.header("referer") ?? "").origin : undefined);
  return origin === undefined || origin === expected;
}
