// Reads a body into memory, stopping as soon as it passes a limit: a client that streams
// gigabytes costs us at most `maxBytes`. Null when it was larger, unless `truncate` asks for
// its first `maxBytes` (an excerpt).
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
