// Reading request bodies with a size limit counted while streaming: a client that sends
// gigabytes costs us at most `maxBytes`, and gets a 413 it can still read (the runtime drains
// or closes the rest only after the response is written; see test/node/request-body-limits).
import type { Context } from "hono";
import { AppError } from "./errors.ts";

export const payloadTooLarge = (maxBytes: number) =>
  new AppError(413, "payload_too_large", `The request body is larger than the limit of ${describeBytes(maxBytes)}.`);

/**
 * The request's body, read once per request (middleware and handler share it): 413 at once when
 * Content-Length is over the limit, else as soon as the bytes read pass it.
 */
export async function readRequestBytes(c: Context, maxBytes: number): Promise<Uint8Array> {
  const cached = bodiesRead.get(c.req.raw);
  if (cached) {
    if (cached.length > maxBytes) throw payloadTooLarge(maxBytes);
    return cached;
  }
  const declared = Number(c.req.header("content-length"));
  if (Number.isFinite(declared) && declared > maxBytes) throw payloadTooLarge(maxBytes);
  const bytes = await readBoundedBytes(c.req.raw.body, maxBytes);
  if (!bytes) throw payloadTooLarge(maxBytes);
  bodiesRead.set(c.req.raw, bytes);
  return bytes;
}

const bodiesRead = new WeakMap<Request, Uint8Array>();

// Null when the stream was larger than `maxBytes`, unless `truncate` asks for its first
// `maxBytes` (an excerpt).
export async function readBoundedBytes(body: ReadableStream<Uint8Array> | null, maxBytes: number, options: { truncate?: boolean } = {}): Promise<Uint8Array | null> {
  if (!body) return new Uint8Array(0);
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.length;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      if (!options.truncate) return null;
      chunks.push(value.subarray(0, value.length - (total - maxBytes)));
      total = maxBytes;
      break;
    }
    chunks.push(value);
  }
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  return bytes;
}

export function describeBytes(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / 1024 / 1024)} MB` : `${Math.round(bytes / 1024)} KB`;
}
