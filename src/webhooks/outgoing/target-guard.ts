// Where outgoing hooks may go (DESIGN.md, "Trust and SSRF"): public http(s) addresses only,
// unless an admin allow-listed the host. Literal addresses and local names are refused
// everywhere; where the runtime can resolve names (Node) every address a name resolves to
// must be public too. Redirects are never followed (the sender uses redirect: "manual").
import { isPrivateAddress } from "../../http/ip-address.ts";
import { isLocalHostName } from "../../proxy/trust.ts";
import { listAllowedHosts } from "./allowed-host-store.ts";
import type { Services } from "../../services.ts";
import { webhookConfig } from "../webhook-config.ts";

export type TargetCheck = { ok: true; allowListed: boolean } | { ok: false; reason: string; retry: boolean };

/** The admin's allow-list (SATCHEL_WEBHOOK_ALLOW_HOSTS and the stored list), lower-cased. */
export async function allowedHosts(services: Services): Promise<Set<string>> {
  const rows = await listAllowedHosts(services.db);
  return new Set([...webhookConfig(services.config).allowHosts, ...rows.map((row) => row.host)]);
}

/** `host` or `host:port` as an admin writes it: lower-cased, brackets kept for IPv6. */
export function normalizeAllowedHost(raw: string): string | null {
  const host = raw.trim().toLowerCase();
  return /^(?:[a-z0-9.-]+|\[[0-9a-f:.]+\])(?::\d{1,5})?$/.test(host) ? host : null;
}

export async function checkTarget(services: Services, url: URL, allowed: Set<string>): Promise<TargetCheck> {
  if (url.protocol !== "https:" && url.protocol !== "http:") return { ok: false, reason: `${url.protocol} URLs are not allowed; use http(s).`, retry: false };
  if (url.username || url.password) return { ok: false, reason: "Credentials in the URL are not allowed; send them in a header.", retry: false };
  const hostname = url.hostname.toLowerCase();
  if (allowed.has(hostname) || allowed.has(url.host.toLowerCase())) return { ok: true, allowListed: true };
  const refused = (what: string): TargetCheck => ({
    ok: false,
    reason: `${url.host} ${what}: hooks may only reach public addresses unless an admin allow-lists the host.`,
    retry: false,
  });
  const bare = hostname.replace(/^\[|\]$/g, "");
  const literal = /^[\d.]+$/.test(bare) || bare.includes(":");
  const pass: TargetCheck = { ok: true, allowListed: false };
  if (literal) return isPrivateAddress(bare) ? refused("is a private, loopback or link-local address") : pass;
  if (isLocalHostName(hostname)) return refused("is a local host name");
  if (!services.hooks.resolveHost) return pass;
  let addresses: string[];
  try {
    addresses = await services.hooks.resolveHost(hostname);
  } catch (error) {
    return { ok: false, reason: `${hostname} did not resolve: ${error instanceof Error ? error.message : String(error)}`, retry: true };
  }
  const inside = addresses.find((address) => isPrivateAddress(address));
  return inside ? refused(`resolves to ${inside}, a private address`) : pass;
}
