// Rendering a page for the signed-in user, and the post/redirect/get flow of forms: an action
// either redirects with a flash message or, on a 4xx AppError, goes back with the error shown.
import type { MiddlewareHandler } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import type { Principal } from "../src/auth/principal.ts";
import { AppError } from "../src/http/errors.ts";
import { readForm as readFormBody, type Form } from "../src/http/form-body.ts";
import { MULTIPART_OVERHEAD } from "../src/packages/upload-body.ts";

export type { Form };
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { isHttps } from "./csrf.ts";
import { page, type Content, type Flash, type Viewer } from "./layout.ts";
import type { PageContext, PageEnv } from "./session.ts";

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

/** Forms anyone can post (sign-in, second factor, setup): small. */
export const PRE_SESSION_FORM_LIMIT = 16 * 1024;
/** Forms of signed-in users: room for a group's grants or a hook's template. */
export const PAGE_FORM_LIMIT = 256 * 1024;

const uploadForms = new WeakSet<Request>();

/**
 * The one page form that carries an archive: multipart, up to the upload limit. Registered
 * before requireSession, which reads the form (for its CSRF token) before the handler does.
 */
export const acceptsUploadForm = (): MiddlewareHandler<PageEnv> =>
  async function acceptsUploadForm(c, next) {
    uploadForms.add(c.req.raw);
    await next();
  };

/** The posted form, read once per request (middleware and handler share it), bounded. */
export function readForm(c: PageContext, maxBytes = PAGE_FORM_LIMIT): Promise<Form> {
  if (!uploadForms.has(c.req.raw)) return readFormBody(c, maxBytes);
  return readFormBody(c, c.get("services").config.maxUploadBytes + MULTIPART_OVERHEAD, { multipart: true });
}

export function field(form: Form, name: string, maxLength = 1024): string {
  const value = form[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === "string" ? first.trim().slice(0, maxLength) : "";
}

export function fieldList(form: Form, name: string): string[] {
  const value = form[name] ?? form[`${name}[]`];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list.filter((item): item is string => typeof item === "string");
}

export function pageNumber(raw: string | undefined): number {
  const n = Number(raw);
  return Number.isSafeInteger(n) && n > 0 && n < 1_000_000 ? n : 1;
}
