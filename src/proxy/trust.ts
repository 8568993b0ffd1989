// The trust rule for URLs found in upstream metadata (DESIGN.md, "Trust and SSRF"): an upstream
// URL is set by an admin and may be private; a dist URL or a redirect target is fetched only
// when its host is that upstream's host or a public address. Pure: no I/O, the DNS answer (Node)
// is passed in by the caller.
import { isPrivateAddress, parseIpv4 } from "../http/ip-address.ts";

export { isPrivateAddress };

/** Host names that never name a public server, whatever DNS says. */
export function isLocalHostName(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (!host.includes(".") && !host.includes(":")) return true;
  return /(^|\.)(localhost|local|internal|intranet|lan|home\.arpa|localdomain)$/.test(host);
}

/**
 * Whether `target` may be fetched on behalf of the upstream at `upstreamUrl`: same host (and
 * port) as the upstream, or a public host. `resolved` holds the addresses DNS gave for the
 * host (empty where the runtime cannot resolve, e.g. Workers, whose fetch reaches only the
 * public internet anyway).
 */
export function isTrustedTarget(target: URL, upstreamUrl: URL, resolved: readonly string[]): boolean {
  if (target.protocol !== "https:" && target.protocol !== "http:") return false;
  if (target.host === upstreamUrl.host) return true;
  if (target.username || target.password) return false;
  if (isPrivateAddress(target.hostname)) return false;
  if (!parseIpv4(target.hostname) && !target.hostname.startsWith("[") && isLocalHostName(target.hostname)) return false;
  return resolved.every((address) => !isPrivateAddress(address));
}
