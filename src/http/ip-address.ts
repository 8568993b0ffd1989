// Which literal addresses lie outside the public internet. Every IPv6 spelling is expanded to its
// 128 bits first (`::`, zone ids, a dotted IPv4 tail, leading zeros), so that forms embedding an
// IPv4 address (mapped, compatible, translated, NAT64, 6to4, Teredo) are judged by that address.

/** True when `address` is an IPv4/IPv6 literal outside the public internet. */
export function isPrivateAddress(address: string): boolean {
  const host = address.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = parseIpv4(host);
  if (v4) return isPrivateIpv4(v4);
  if (!host.includes(":")) return false;
  const v6 = parseIpv6(host);
  // Not an address we can read: refuse rather than guess.
  return v6 === null || isPrivateIpv6(v6);
}

export function parseIpv4(host: string): number[] | null {
  const match = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (!match) return null;
  const parts = match.slice(1).map(Number);
  return parts.every((part) => part <= 255) ? parts : null;
}

/** The eight 16-bit groups of an IPv6 address, or null when it is not one. */
export function parseIpv6(text: string): number[] | null {
  let host = text.split("%")[0] ?? "";
  const dotted = /^(.*:)(\d{1,3}(?:\.\d{1,3}){3})$/.exec(host);
  if (dotted?.[1] && dotted[2]) {
    const v4 = parseIpv4(dotted[2]);
    if (!v4) return null;
    host = `${dotted[1]}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const halves = host.split("::");
  if (halves.length > 2) return null;
  const groups = (part: string | undefined) => (part ? part.split(":") : []);
  const head = groups(halves[0]);
  const tail = groups(halves[1]);
  const missing = 8 - head.length - tail.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return null;
  const all = [...head, ...new Array<string>(missing).fill("0"), ...tail];
  if (!all.every((group) => /^[0-9a-f]{1,4}$/.test(group))) return null;
  return all.map((group) => Number.parseInt(group, 16));
}

function isPrivateIpv4([a, b, c]: number[]): boolean {
  return (
    a === 0 || a === 10 || a === 127 || a! >= 224 ||
    (a === 100 && b! >= 64 && b! <= 127) ||
    (a === 169 && b === 254) ||
    (a === 172 && b! >= 16 && b! <= 31) ||
    (a === 192 && b === 168) ||
    (a === 192 && b === 0 && (c === 0 || c === 2)) ||
    (a === 198 && (b === 18 || b === 19)) ||
    (a === 198 && b === 51 && c === 100) ||
    (a === 203 && b === 0 && c === 113)
  );
}

const v4At = (groups: number[], index: number, mask = 0): number[] => {
  const high = (groups[index]! ^ (mask >>> 16)) & 0xffff;
  const low = groups[index + 1]! ^ (mask & 0xffff);
  return [high >> 8, high & 255, low >> 8, low & 255];
};

function isPrivateIpv6(g: number[]): boolean {
  const zeros = (from: number, to: number) => g.slice(from, to).every((group) => group === 0);
  // ::/96 (unspecified, loopback, IPv4-compatible), ::ffff:0:0/96 (mapped) and ::ffff:0:0:0/96 (translated).
  if (zeros(0, 5) && (g[5] === 0 || g[5] === 0xffff)) return isPrivateIpv4(v4At(g, 6));
  if (zeros(0, 4) && g[4] === 0xffff && g[5] === 0) return isPrivateIpv4(v4At(g, 6));
  // NAT64: the well-known prefix carries a v4 address; the local-use prefix is never public.
  if (g[0] === 0x64 && g[1] === 0xff9b && zeros(2, 6)) return isPrivateIpv4(v4At(g, 6));
  if (g[0] === 0x64 && g[1] === 0xff9b && g[2] === 1) return true;
  // 6to4 carries the v4 address after the prefix; Teredo the server's, and the client's inverted.
  if (g[0] === 0x2002) return isPrivateIpv4(v4At(g, 1));
  if (g[0] === 0x2001 && g[1] === 0) return isPrivateIpv4(v4At(g, 2)) || isPrivateIpv4(v4At(g, 6, 0xffffffff));
  const first = g[0]!;
  return (
    (first & 0xfe00) === 0xfc00 || // unique local fc00::/7
    (first & 0xffc0) === 0xfe80 || // link-local fe80::/10
    (first & 0xffc0) === 0xfec0 || // old site-local fec0::/10
    (first & 0xff00) === 0xff00 || // multicast
    (first === 0x100 && zeros(1, 4)) || // discard 100::/64
    (first === 0x2001 && g[1] === 0xdb8) || // documentation
    (first === 0x3fff && g[1]! < 0x1000) // documentation 3fff::/20
  );
}
