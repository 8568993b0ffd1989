// Form bodies (application/x-www-form-urlencoded, and multipart/form-data where a route asks for
// it) read through the bounded reader: the whole body is never held beyond `maxBytes`.
import type { Context } from "hono";
import { readRequestBytes } from "./bounded-body.ts";
import { AppError, badRequest } from "./errors.ts";

export type Form = Record<string, string | File | (string | File)[]>;

/** Fields of a form; repeated names and names ending in `[]` become lists. */
export async function readForm(c: Context, maxBytes: number, options: { multipart?: boolean } = {}): Promise<Form> {
  const contentType = (c.req.header("content-type") ?? "").toLowerCase();
  const multipart = contentType.startsWith("multipart/form-data");
  if (multipart && !options.multipart) throw new AppError(415, "unsupported_media_type", "This form is sent as application/x-www-form-urlencoded.");
  const bytes = await readRequestBytes(c, maxBytes);
  if (multipart) return collect(await multipartEntries(bytes, c.req.header("content-type") ?? ""));
  if (!contentType.startsWith("application/x-www-form-urlencoded")) return {};
  return collect(new URLSearchParams(new TextDecoder().decode(bytes)));
}

async function multipartEntries(bytes: Uint8Array, contentType: string): Promise<Iterable<[string, string | File]>> {
  try {
    return await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch {
    throw badRequest("The multipart body is malformed (check its boundary).", "invalid_multipart");
  }
}

function collect(entries: Iterable<[string, string | File]>): Form {
  const form: Form = {};
  for (const [name, value] of entries) {
    const existing = form[name];
    if (Array.isArray(existing)) existing.push(value);
    else if (existing !== undefined) form[name] = [existing, value];
    else form[name] = name.endsWith("[]") ? [value] : value;
  }
  return form;
}
