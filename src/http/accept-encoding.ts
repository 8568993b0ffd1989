// Which content codings the client itself accepts. workerd (Cloudflare, and Miniflare under
// wrangler dev) rewrites the Accept-Encoding a Worker sees to "br, gzip" and keeps the client's
// own header in `request.cf.clientAcceptEncoding` ("" when the client sent none): that value
// decides, so a client without gzip gets identity bytes on every runtime. Node and Bun pass the
// header through unchanged.
type MaybeCfRequest = Request & { cf?: { clientAcceptEncoding?: unknown } };

/** `readHeader` reads the request's headers (the remembered-answer path reads Node's own object). */
export function clientAcceptEncoding(request: Request, readHeader: (name: string) => string | undefined = (name) => request.headers.get(name) ?? undefined): string | undefined {
  const original = (request as MaybeCfRequest).cf?.clientAcceptEncoding;
  return typeof original === "string" ? original : readHeader("accept-encoding");
}

// Clients send one of a handful of header values: parse each once.
const parsed = new Map<string, boolean>();

/** RFC 9110 §12.5.3: gzip (or `*`) with a non-zero q-value. */
export function acceptsGzip(header: string | undefined): boolean {
  if (!header) return false;
  let accepted = parsed.get(header);
  if (accepted === undefined) {
    if (parsed.size > 256) parsed.clear();
    accepted = header.split(",").some((part) => {
      const [coding, ...params] = part.toLowerCase().split(";");
      const q = params.find((param) => param.trim().startsWith("q="));
      return (coding?.trim() === "gzip" || coding?.trim() === "*") && (q === undefined || Number(q.trim().slice(2)) > 0);
    });
    parsed.set(header, accepted);
  }
  return accepted;
}
