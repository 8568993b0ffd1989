// Browser sessions. A session is a token of kind "session" (named "browser session", 12 h) kept
// in an HttpOnly, SameSite=Strict cookie. It opens pages only, never the API; an API token set
// as the cookie opens nothing (the JWT's kind claim and the DB row must both say "session").
import type { Context, MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { checkSessionToken, issueToken, revokeSession } from "../src/auth/api-tokens.ts";
import type { Principal } from "../src/auth/principal.ts";
import type { Scope } from "../src/auth/roles.ts";
import type { AppEnv } from "../src/http/context.ts";
import { html } from "hono/html";
import type { PageContext, PageEnv } from "./page-context.ts";
import { render } from "./render.ts";
import { PRE_SESSION_FORM_LIMIT, readForm } from "./form-input.ts";
import { checkCsrf, csrfToken, isHttps, preSessionBinding, sameOrigin } from "./csrf.ts";

export const SESSION_COOKIE = "satchel_session";
export const SESSION_TOKEN_NAME = "browser session";
const SESSION_MS = 12 * 60 * 60 * 1000;

export async function startSession(c: PageContext, userId: number): Promise<void> {
  const services = c.get("services");
  const session = await issueToken(services, { userId, name: SESSION_TOKEN_NAME, kind: "session", scopes: [], expiresAt: services.now() + SESSION_MS, parentId: null });
  setCookie(c, SESSION_COOKIE, session.token, { httpOnly: true, sameSite: "Strict", secure: isHttps(c), path: "/", maxAge: SESSION_MS / 1000 });
}

export async function endSession(c: PageContext, principal: Principal | null): Promise<void> {
  if (principal?.tokenId !== undefined) await revokeSession(c.get("services"), principal.tokenId, principal.userId);
  deleteCookie(c, SESSION_COOKIE, { path: "/" });
}

export async function sessionPrincipal(c: PageContext): Promise<Principal | null> {
  const token = getCookie(c, SESSION_COOKIE);
  if (!token) return null;
  const check = await checkSessionToken(c.get("services"), token);
  return check.ok ? check.principal : null;
}

/** Signed-in users only: others go to the login form. Also checks CSRF on every POST. */
export const requireSession = (): MiddlewareHandler<PageEnv> =>
  async function requireSession(c, next) {
    const principal = await sessionPrincipal(c);
    if (!principal) return c.redirect("/login", c.req.method === "GET" ? 302 : 303);
    const services = c.get("services");
    const csrf = await csrfToken(services, `session:${principal.tokenJti ?? principal.userId}`);
    if (c.req.method === "POST") {
      const form = await readForm(c);
      if (!sameOrigin(c) || !(await checkCsrf(services, `session:${principal.tokenJti ?? principal.userId}`, form._csrf))) {
        return c.text("This form has expired or came from another site. Go back, reload the page and try again.", 403);
      }
    }
    c.set("session", principal);
    c.set("csrf", csrf);
    await next();
  };

/** Forms shown before sign-in (login, second factor, setup): CSRF bound to a pre-session cookie. */
export const preSessionCsrf = (): MiddlewareHandler<PageEnv> =>
  async function preSessionCsrf(c, next) {
    const services = c.get("services");
    const binding = preSessionBinding(c);
    if (c.req.method === "POST") {
      const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
      if (!sameOrigin(c) || !(await checkCsrf(services, binding, form._csrf))) {
        return c.text("This form has expired or came from another site. Go back, reload the page and try again.", 403);
      }
    }
    c.set("csrf", await csrfToken(services, binding));
    await next();
  };

/** Pages for a role: customers get a 403 page on admin pages (never the data). */
export const requirePageScope = (scope: Scope): MiddlewareHandler<PageEnv> =>
  async function requirePageScope(c, next) {
    if (!c.get("session").scopes.includes(scope)) {
      const body = html`<div class="card narrow"><h1>Not for your account</h1><p>This page is for administrators.</p><p><a href="/">Back to your packages</a></p></div>`;
      return render(c, "Forbidden", body, { status: 403 });
    }
    await next();
  };
