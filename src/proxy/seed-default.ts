// SATCHEL_DEFAULT_UPSTREAM: the upstream a fresh install starts with (packagist.org's p2 host,
// as packagist asks of mirrors). Seeded once per database: an admin who deletes it keeps it
// deleted, and `none` seeds nothing.
import { seedUpstream, upstreamSeeded } from "./proxy-store.ts";
import type { Services } from "../services.ts";
import { normalizeUpstreamUrl } from "./upstream-input.ts";

const SEEDED_KEY = "default_upstream_seeded";

export async function seedDefaultUpstream(services: Services): Promise<void> {
  const url = services.config.defaultUpstream;
  if (!url) return;
  if (await upstreamSeeded(services.db, SEEDED_KEY)) return;
  const normalized = normalizeUpstreamUrl(url);
  const name = new URL(normalized).hostname === "repo.packagist.org" ? "packagist.org" : new URL(normalized).host;
  await seedUpstream(services.db, SEEDED_KEY, { name, url: normalized, createdAt: services.now() });
  services.upstreams.proxy.registry.invalidate();
  services.log.info("seeded the default upstream", { name, url: normalized });
}
