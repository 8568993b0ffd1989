// The archive of an upload: the raw body (application/zip) or the multipart field `package`,
// refused with 413 as soon as it passes the size limit (counted while it streams in), and with
// 400 when a multipart body cannot be parsed.
import type { AppContext } from "../http/context.ts";
import { readBoundedBytes } from "../http/bounded-body.ts";
import { AppError, badRequest } from "../http/errors.ts";

/** Room for the multipart boundaries and part headers around the archive. */
const MULTIPART_OVERHEAD = 64 * 1024;

export async function readUploadBody(c: AppContext, maxBytes: number): Promise<Uint8Array> {
  const tooLarge = () => new AppError(413, "payload_too_large", `The archive is larger than the upload limit of ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes + MULTIPART_OVERHEAD) throw tooLarge();
  const contentType = c.req.header("content-type") ?? "";
  if (!c.req.raw.body) throw badRequest("The request has no body: send the zip archive.", "missing_archive");
  const multipart = contentType.toLowerCase().startsWith("multipart/form-data");
  const bytes = await readBoundedBytes(c.req.raw.body, multipart ? maxBytes + MULTIPART_OVERHEAD : maxBytes);
  if (!bytes) throw tooLarge();
  if (multipart) {
    const file = (await parseMultipart(bytes, contentType)).get("package");
    if (!(file instanceof File)) throw badRequest('The multipart upload needs the archive in the field "package".', "missing_archive");
    if (file.size > maxBytes) throw tooLarge();
    return new Uint8Array(await file.arrayBuffer());
  }
  if (bytes.length === 0) throw badRequest("The request body is empty: send the zip archive.", "missing_archive");
  return bytes;
}

async function parseMultipart(bytes: Uint8Array, contentType: string): Promise<FormData> {
  try {
    return await new Response(bytes, { headers: { "content-type": contentType } }).formData();
  } catch (error) {
    throw badRequest(`The multipart body could not be parsed (${error instanceof Error ? error.message : "malformed"}).`, "invalid_multipart");
  }
}
