// Archives of mirrored packages, under the same /zipball URL as private ones (the root's
// `mirrors` entry points Composer there first). The first download comes from the URL the
// upstream published, under the trust rule; it is checked (a zip, the published sha1) before
// it is stored, and later downloads come from the blob store.
import type { Principal } from "../auth/principal.ts";
import { mirrorDistKey } from "../blobs/keys.ts";
import { sha1Hex } from "../crypto/digest.ts";
import type { AppContext } from "../http/context.ts";
import { runInBackground } from "../http/context.ts";
import { AppError, notFound } from "../http/errors.ts";
import { recordMirrorDist } from "./mirror-store.ts";
import { readLimited } from "./upstream-client.ts";
import { notFoundFor } from "../composer/package-path.ts";
import { withheldError } from "../policies/withheld-dist.ts";
import { mirrorRulesFor } from "./proxy-p2.ts";

// Archive downloads may take longer than a metadata request.
const DIST_TIMEOUT_FACTOR = 6;

export async function serveMirrorZipball(c: AppContext, principal: Principal, name: string, reference: string): Promise<Response> {
  const services = c.get("services");
  const now = services.now();
  const found = await services.upstreams.proxy.findDist(principal, name, reference, await mirrorRulesFor(services, name, now), now);
  if (services.upstreams.stats.isDue(now)) runInBackground(c, services.upstreams.stats.flush(services.db, now));
  if ("withheld" in found) throw withheldError(found.withheld);
  if ("status" in found) {
    if (found.status === "unavailable") throw badGateway(found.message);
    if (found.status === "not-found" && found.message) throw notFound(found.message);
    throw notFoundFor(name);
  }
  const { upstream, dist } = found;
  const headers = {
    "Content-Type": "application/zip",
    "Content-Disposition": `attachment; filename="${name.replace("/", "-")}-${reference.slice(0, 12)}.zip"`,
    "Cache-Control": "private, max-age=31536000, immutable",
  };
  const key = mirrorDistKey(upstream.id, name, reference);
  const stored = await services.blobs.get(key);
  if (stored) {
    services.upstreams.stats.hit(upstream.id);
    return c.body(stored.body, 200, { ...headers, "Content-Length": String(stored.size) });
  }
  const opened = await services.upstreams.client.open(upstream, dist.url, { timeoutMs: services.upstreams.config.timeoutMs * DIST_TIMEOUT_FACTOR }, now);
  if (!opened.ok) throw badGateway(`The archive of ${name} could not be fetched: ${opened.message}`);
  const { response } = opened;
  if (response.status !== 200) {
    await response.body?.cancel().catch(() => undefined);
    throw badGateway(`The archive of ${name} could not be fetched: ${upstream.name} answered HTTP ${response.status}.`);
  }
  services.upstreams.stats.miss(upstream.id);
  const maxBytes = services.upstreams.config.maxDistBytes;
  const declared = Number(response.headers.get("content-length") ?? "");
  // Not cached, or too big to hold: streamed through, never buffered.
  if (!upstream.cacheDists || (Number.isFinite(declared) && declared > maxBytes)) {
    return c.body(response.body as ReadableStream<Uint8Array>, 200, { ...headers, ...(Number.isFinite(declared) && declared > 0 ? { "Content-Length": String(declared) } : {}) });
  }
  const bytes = await readLimited(response, maxBytes);
  if (!bytes) throw badGateway(`The archive of ${name} is larger than ${Math.round(maxBytes / 1024 / 1024)} MB.`);
  if (bytes[0] !== 0x50 || bytes[1] !== 0x4b) throw badGateway(`${upstream.name} did not send a zip archive for ${name} ${reference}: not stored.`);
  const sha1 = await sha1Hex(bytes);
  if (dist.shasum && dist.shasum !== sha1) throw badGateway(`The archive of ${name} ${reference} does not match the published sha1: not stored.`);
  await services.blobs.put(key, bytes);
  await recordMirrorDist(services.db, { upstreamId: upstream.id, name, reference, size: bytes.length, sha1, createdAt: now });
  return c.body(bytes as Uint8Array<ArrayBuffer>, 200, { ...headers, "Content-Length": String(bytes.length) });
}

function badGateway(message: string): AppError {
  return new AppError(502, "upstream_unavailable", message, { composerWarning: message });
}
