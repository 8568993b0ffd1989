// p2 documents of names that are not private, from the upstreams (src/proxy/). Last-Modified
// is the mirror's change clock, moved also by the catalog (a name that becomes private, or
// stops being private, must not be answered with a 304 for the other document) and by the
// principal's ACL.
import type { Principal } from "../auth/principal.ts";
import type { AppContext } from "../http/context.ts";
import { runInBackground } from "../http/context.ts";
import { AppError, notFound } from "../http/errors.ts";
import { negotiatedJson } from "./last-modified.ts";
import { RenderedBody, type DocumentKind } from "./metadata-store.ts";
import { notFoundFor } from "./package-path.ts";
import { publicBase, withPublicBase } from "./public-base.ts";

const encoder = new TextEncoder();

export async function serveProxiedP2(c: AppContext, principal: Principal, name: string, kind: DocumentKind): Promise<Response> {
  const services = c.get("services");
  const now = services.now();
  const answer = await services.proxy.find(principal, name, kind, now);
  if (services.proxyStats.isDue(now)) runInBackground(c, services.proxyStats.flush(services.db, now));
  if (answer.status === "unavailable") {
    throw new AppError(502, "upstream_unavailable", answer.message, { composerWarning: answer.message });
  }
  if (answer.status === "not-found") throw answer.message ? notFound(answer.message) : notFoundFor(name);
  const { document } = answer;
  const base = publicBase(c, services.config.publicUrl);
  const renderedKey = `${document.bodyKey}\n${base}\n${document.warning ?? ""}`;
  let body = services.proxy.rendered.get(renderedKey);
  if (!body) {
    let text = withPublicBase(document.text, base);
    // Composer prints a top-level `warning` of any JSON document it reads.
    if (document.warning) text = `{"warning":${JSON.stringify(document.warning)},${text.slice(1)}`;
    body = new RenderedBody(encoder.encode(text) as Uint8Array<ArrayBuffer>);
    // Room for the gzipped copy too (a fraction of the raw size).
    services.proxy.rendered.set(renderedKey, body, Math.ceil(body.raw.length * 1.25));
  }
  const catalogClock = await services.proxy.catalogClock(now);
  return negotiatedJson(c, body, Math.max(document.clock, catalogClock, principal.aclClock));
}
