// The archives of custom packages, always served from Satchel's own zipball route so that
// tokens, grants and archiving apply to them as to every other package, and the URL a version
// was defined with (which may carry a secret or name an internal host) never reaches a client.
// An external dist URL is fetched once, when the version is defined: its bytes must hash to the
// shasum given, so the fetch can only confirm content the admin already knows, never read an
// unknown one back (the SSRF rule for admin-set URLs, DESIGN.md "Trust and SSRF").
import { distKey } from "../blobs/keys.ts";
import { sha1Hex } from "../crypto/digest.ts";
import { readBoundedBytes } from "../http/bounded-body.ts";
import { AppError } from "../http/errors.ts";
import { parseIpv4, parseIpv6 } from "../http/ip-address.ts";
import { redactUrl } from "../http/redact.ts";
import type { Services } from "../services.ts";
import { checkServedArchive } from "./archive.ts";

const MAX_REDIRECTS = 5;
const FETCH_TIMEOUT_MS = 60_000;
/** Cloud metadata services: never an archive's home, always a credential's. */
const METADATA_HOSTS = new Set(["metadata.google.internal", "metadata", "instance-data", "fd00:ec2::254"]);

export const invalidDist = (message: string) => new AppError(422, "invalid_dist", message);

const archiveLimits = (services: Services) => ({ maxUnpackedBytes: services.config.maxUnpackedBytes, maxEntries: 50_000 });

/** Checks an uploaded archive and stores it as a dist of `name`; its sha1 is the reference a definition names it by. */
export async function storeCustomArchive(services: Services, name: string, bytes: Uint8Array): Promise<string> {
  await checkServedArchive(bytes, archiveLimits(services));
  const reference = await sha1Hex(bytes);
  await services.blobs.put(distKey(name, reference), bytes);
  return reference;
}

/** Whether an archive uploaded for `name` is stored under `reference`. */
export async function hasCustomArchive(services: Services, name: string, reference: string): Promise<boolean> {
  return services.blobs.has(distKey(name, reference));
}

/**
 * Fetches the archive at `url` (unless already stored under its shasum), checks it is a safe zip
 * whose sha1 is `shasum`, and stores it. 422 with the reason when it cannot.
 */
export async function fetchExternalDist(services: Services, name: string, url: string, shasum: string): Promise<void> {
  if (await hasCustomArchive(services, name, shasum)) return;
  const shown = redactUrl(url);
  const bytes = await download(services, url, shown);
  if ((await sha1Hex(bytes)) !== shasum) throw invalidDist(`The archive at ${shown} does not match the shasum given.`);
  try {
    await checkServedArchive(bytes, archiveLimits(services));
  } catch (error) {
    throw error instanceof AppError ? invalidDist(`The archive at ${shown} is refused: ${error.message}`) : error;
  }
  await services.blobs.put(distKey(name, shasum), bytes);
}

async function download(services: Services, url: string, shown: string): Promise<Uint8Array> {
  const signal = AbortSignal.timeout(FETCH_TIMEOUT_MS);
  let target = await checkedTarget(services, url, shown);
  // fetch() refuses URLs with credentials: they go as http-basic, and only to the URL's own host.
  const origin = target.origin;
  const authorization = target.username || target.password ? `Basic ${btoa(`${decodeURIComponent(target.username)}:${decodeURIComponent(target.password)}`)}` : null;
  for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
    let response: Response;
    try {
      const headers: Record<string, string> = { accept: "application/zip, */*", ...(authorization && target.origin === origin ? { authorization } : {}) };
      const bare = new URL(target);
      bare.username = "";
      bare.password = "";
      response = await services.fetch(bare, { redirect: "manual", signal, headers });
    } catch {
      throw invalidDist(`The archive at ${shown} could not be fetched (no answer).`);
    }
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel().catch(() => undefined);
      target = await checkedTarget(services, new URL(location, target).href, shown);
      continue;
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw invalidDist(`The archive at ${shown} could not be fetched (HTTP ${response.status}).`);
    }
    const bytes = await readBoundedBytes(response.body, services.config.maxUploadBytes);
    if (!bytes) throw invalidDist(`The archive at ${shown} is larger than the upload limit.`);
    return bytes;
  }
  throw invalidDist(`The archive at ${shown} redirects more than ${MAX_REDIRECTS} times.`);
}

/** An http(s) URL whose host is not link-local or a cloud metadata service (private and loopback hosts are allowed: admins set these URLs). */
async function checkedTarget(services: Services, raw: string, shown: string): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw invalidDist(`The dist URL ${shown} is not a valid URL.`);
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") throw invalidDist(`The dist URL ${shown} must be http(s).`);
  const host = url.hostname.toLowerCase().replace(/^\[|\]$/g, "");
  const addresses = parseIpv4(host) || host.includes(":") ? [host] : await resolved(services, host);
  if (METADATA_HOSTS.has(host) || addresses.some((address) => METADATA_HOSTS.has(address) || isLinkLocal(address))) {
    throw invalidDist(`The dist URL ${shown} points at a link-local or metadata address.`);
  }
  return url;
}

async function resolved(services: Services, host: string): Promise<string[]> {
  if (!services.hooks.resolveHost) return [];
  try {
    return await services.hooks.resolveHost(host);
  } catch {
    throw invalidDist(`The dist URL's host ${host} does not resolve.`);
  }
}

function isLinkLocal(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return v4[0] === 169 && v4[1] === 254;
  const v6 = parseIpv6(address);
  if (!v6) return false;
  // IPv4-mapped (::ffff:a.b.c.d) carries the IPv4 address in its last 32 bits.
  if (v6.slice(0, 5).every((group) => group === 0) && v6[5] === 0xffff) return v6[6]! >> 8 === 169 && (v6[6]! & 0xff) === 254;
  return (v6[0]! & 0xffc0) === 0xfe80;
}
