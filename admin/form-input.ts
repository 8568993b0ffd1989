// Reading the admin pages' forms: bounded bodies (one size for pre-session forms, one for
// signed-in pages, the upload limit for the one form that carries an archive), and fields
// taken out of them trimmed and length-capped.
import type { MiddlewareHandler } from "hono";
import { readForm as readFormBody, type Form } from "../src/http/form-body.ts";
import { MULTIPART_OVERHEAD } from "../src/packages/upload-body.ts";
import type { PageContext, PageEnv } from "./page-context.ts";

export type { Form };

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
