// The trust rule for URLs found in upstream metadata (DESIGN.md, "Trust and SSRF"): an upstream
// URL is set by an admin and may be private; a dist URL or a redirect target is fetched only
// when its host is that upstream's host or a public address. Pure: no I/O, the DNS answer (Node)
// is passed in by the caller.

/** True when `address` is an IPv4/IPv6 literal outside the public internet. */
export function isPrivateAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = parseIpv4(host);
  if (v4) return isPrivateIpv4(v4);
  if (host.includes(":")) return isPrivateIpv6(host);
  return false;
}

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

function parseIpv4(host: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : null;
}

function isPrivateIpv4([a, b, c]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || a >= 224 ||
    (a === 100 && b >= 64 && b <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b >= 16 && b <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

function isPrivateIpv6(host: string): boolean {
  if (host === "::" || host === "::1") return true;
  // IPv4-mapped and IPv4-compatible forms carry a v4 address: judge that one.
  const mapped = /^(?:::ffff:|::)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(host);
  if (mapped?.[1]) return isPrivateAddress(mapped[1]);
  const hexMapped = /^::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})$/.exec(host);
  if (hexMapped?.[1] && hexMapped[2]) {
    const high = Number.parseInt(hexMapped[1], 16);
    const low = Number.parseInt(hexMapped[2], 16);
    return isPrivateIpv4([high >> 8, high & 255, low >> 8, low & 255]);
  }
  const first = Number.parseInt(host.split(":")[0] || "0", 16);
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xff00) === 0xff00 || // multicast
    host.startsWith("64:ff9b:") || // NAT64 can reach v4 private space
    host.startsWith("2001:db8:")
  );
}
