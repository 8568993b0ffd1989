// The archive of an upload: the raw body (application/zip) or the multipart field `package`,
// refused with 413 as soon as it passes the size limit (counted while it streams in), and with
// 400 when a multipart body cannot be parsed (src/http/form-body.ts).
import type { AppContext } from "../http/context.ts";
import { readBoundedBytes } from "../http/bounded-body.ts";
import { AppError, badRequest } from "../http/errors.ts";
import { readForm } from "../http/form-body.ts";

/** Room for a multipart body's boundaries and headers around the archive. */
export const MULTIPART_OVERHEAD = 64 * 1024;

export async function readUploadBody(c: AppContext, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError(413, "payload_too_large", `The archive is larger than the upload limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw tooLarge();
  const contentType = c.req.header("content-type") ?? "";
  if (contentType.startsWith("multipart/form-data")) {
    const form = await readForm(c, maxBytes + MULTIPART_OVERHEAD, { multipart: true });
    const file = form.package;
    if (!(file instanceof File)) throw badRequest('The multipart upload needs the archive in the field "package".', "missing_archive");
    if (file.size > maxBytes) throw tooLarge();
    return new Uint8Array(await file.arrayBuffer());
  }
  if (!c.req.raw.body) throw badRequest("The request has no body: send the zip archive.", "missing_archive");
  const bytes = await readBoundedBytes(c.req.raw.body, maxBytes);
  if (!bytes) throw tooLarge();
  if (bytes.length === 0) throw badRequest("The request body is empty: send the zip archive.", "missing_archive");
  return bytes;
}
