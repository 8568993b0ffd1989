// SATCHEL_DEFAULT_UPSTREAM: the upstream a fresh install starts with (packagist.org's p2 host,
// as packagist asks of mirrors). Seeded once per database: an admin who deletes it keeps it
// deleted, and `none` seeds nothing.
import { eq } from "drizzle-orm";
import { meta, upstreams } from "../db/schema.ts";
import type { Services } from "../services.ts";
import { normalizeUpstreamUrl } from "./upstream-input.ts";

const SEEDED_KEY = "default_upstream_seeded";

export async function seedDefaultUpstream(services: Services): Promise<void> {
  const url = services.config.defaultUpstream;
  if (!url) return;
  const { orm } = services.db;
  if (await orm.select().from(meta).where(eq(meta.key, SEEDED_KEY)).get()) return;
  const normalized = normalizeUpstreamUrl(url);
  const name = new URL(normalized).hostname === "repo.packagist.org" ? "packagist.org" : new URL(normalized).host;
  await services.db.batch([
    orm.insert(upstreams).values({ name, url: normalized, createdAt: services.now() }).onConflictDoNothing(),
    orm.insert(meta).values({ key: SEEDED_KEY, value: normalized }).onConflictDoNothing(),
  ]);
  services.proxy.registry.invalidate();
  services.log.info("seeded the default upstream", { name, url: normalized });
}
