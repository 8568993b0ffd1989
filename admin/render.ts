// Rendering a page for the signed-in user, and the post/redirect/get flow of forms: an action
// either redirects with a flash message or, on a 4xx AppError, goes back with the error shown.
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Principal } from "../src/auth/principal.ts";
import { AppError } from "../src/http/errors.ts";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isHttps } from "./csrf.ts";
import { page, type Content, type Flash, type Viewer } from "./layout.ts";
import type { PageContext } from "./page-context.ts";

const FLASH_COOKIE = "satchel_flash";

export function viewerOf(principal: Principal): Viewer {
  return { username: principal.username, isAdmin: principal.scopes.includes("admin"), isMaintainer: principal.scopes.includes("packages:write") };
}

export function render(c: PageContext, title: string, body: Content, options: { active?: string; status?: ContentfulStatusCode } = {}) {
  return c.html(page(title, body, { viewer: viewerOf(c.get("session")), csrf: c.get("csrf"), flash: takeFlash(c), active: options.active }), options.status ?? 200);
}

export function takeFlash(c: PageContext): Flash | null {
  const raw = getCookie(c, FLASH_COOKIE);
  if (!raw) return null;
  deleteCookie(c, FLASH_COOKIE, { path: "/", secure: isHttps(c) });
  try {
    const parsed = JSON.parse(raw) as Partial<Flash>;
    if ((parsed.kind === "ok" || parsed.kind === "error") && typeof parsed.text === "string") return { kind: parsed.kind, text: parsed.text.slice(0, 500) };
  } catch {
    // A mangled cookie is simply dropped.
  }
  return null;
}

export function redirectWith(c: PageContext, location: string, kind: Flash["kind"], text: string) {
  setCookie(c, FLASH_COOKIE, JSON.stringify({ kind, text: text.slice(0, 500) }), { httpOnly: true, sameSite: "Strict", secure: isHttps(c), path: "/", maxAge: 60 });
  return c.redirect(location, 303);
}

/** Runs a form action; a client error (bad input, conflict) goes back to `back` with its message. */
export async function formAction(c: PageContext, back: string, action: () => Promise<Response>): Promise<Response> {
  try {
    return await action();
  } catch (error) {
    if (error instanceof AppError && error.status < 500) return redirectWith(c, back, "error", error.message);
    throw error;
  }
}
