// p2 documents of names that are not private, from the upstreams (src/proxy/). Last-Modified
// is the mirror's change clock, moved also by the catalog (a name that becomes private, or
// stops being private, must not be answered with a 304 for the other document) and by the
// principal's ACL.
import type { Principal } from "../auth/principal.ts";
import type { AppContext } from "../http/context.ts";
import { runDetached, runInBackground } from "../http/context.ts";
import { rememberAnswer, type OnHit } from "../http/remembered-fetch.ts";
import { AppError, notFound } from "../http/errors.ts";
import { negotiatedBytes } from "../composer/last-modified.ts";
import type { DocumentKind } from "../composer-rules/document-kind.ts";
import { notFoundFor } from "../composer/package-path.ts";
import { publicBase } from "../composer/public-base.ts";
import type { Services } from "../services.ts";
import type { MirrorRules } from "./mirror-withholding.ts";

export async function serveProxiedP2(c: AppContext, principal: Principal, name: string, kind: DocumentKind): Promise<Response> {
  const services = c.get("services");
  const now = services.now();
  const answer = await services.upstreams.proxy.find(principal, name, kind, now);
  if (services.upstreams.stats.isDue(now)) runInBackground(c, services.upstreams.stats.flush(services.db, now));
  if (answer.status === "unavailable") {
    throw new AppError(502, "upstream_unavailable", answer.message, { composerWarning: answer.message });
  }
  if (answer.status === "not-found") throw answer.message ? notFound(answer.message) : notFoundFor(name);
  const { document } = answer;
  const base = publicBase(c, services.config.publicUrl);
  const body = services.upstreams.proxy.body(name, kind, document, await mirrorRulesFor(services, name, now), base);
  const catalogClock = await services.upstreams.proxy.catalogClock(now);
  const { upstream } = answer;
  // Remembered while the copy is fresh; a hit counts for the upstream as this lookup did.
  const onHit: OnHit = (at, executionCtx) => {
    services.upstreams.stats.hit(upstream.id);
    if (services.upstreams.stats.isDue(at)) runDetached(services, services.upstreams.stats.flush(services.db, at), executionCtx);
  };
  return rememberAnswer(c, negotiatedBytes(c, body, Math.max(document.clock, catalogClock, principal.aclClock)), principal, { until: document.freshUntil, onHit });
}

/** The flags on this upstream name and the plugin allowlist: what its documents and dists withhold. */
export async function mirrorRulesFor(services: Services, name: string, now: number): Promise<MirrorRules> {
  const [flags, policies] = await Promise.all([services.upstreams.proxy.flagsOf(name, now), services.policies.current(now)]);
  return { flags, pluginAllowlist: policies.pluginAllowlist };
}
