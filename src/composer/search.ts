// GET /search.json?q=&type=: Packagist's response shape over the packages the caller may see:
// private packages first, then (for proxy users) upstream names known here, matched by name
// only (their descriptions are not indexed; the upstream is not asked on a search).
import { currentPrincipal } from "../auth/middleware.ts";
import type { AppContext } from "../http/context.ts";
import { publicBase } from "./public-base.ts";
import { visiblePackages } from "./visible-listing.ts";

const PER_PAGE = 15;

export async function serveSearch(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const query = (c.req.query("q") ?? "").trim().toLowerCase().slice(0, 200);
  const type = (c.req.query("type") ?? "").trim().toLowerCase();
  const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
  const now = services.now();
  const { packages } = await services.catalog.snapshot(now);
  const words = query.split(/\s+/).filter(Boolean);
  // Matched on what this reader may see: a hidden release's description must not match either.
  const matches = (await visiblePackages(services, principal, packages)).filter(
    ({ pkg, description, type: packageType }) =>
      (!type || packageType?.toLowerCase() === type) &&
      words.every((word) => pkg.name.includes(word) || (description ?? "").toLowerCase().includes(word)),
  );
  const privateNames = new Set(packages.map((pkg) => pkg.name));
  // An upstream name's type is not known here: with a type filter, only private packages match.
  const known = type ? [] : await services.upstreams.proxy.knownNames(principal, (name) => privateNames.has(name), now);
  const upstreamMatches = known.filter((name) => words.every((word) => name.includes(word)));
  const base = publicBase(c, services.config.publicUrl);
  // A sub-repository has no package pages: its results carry no `url` (optional in Packagist's format).
  const pageOf = (name: string) => (c.get("repositoryBase") === undefined ? { url: `${base}/packages/${name}` } : {});
  const total = matches.length + upstreamMatches.length;
  const start = (page - 1) * PER_PAGE;
  const results = [
    ...matches.slice(start, start + PER_PAGE).map(({ pkg, description }) => ({
      name: pkg.name,
      description: description ?? "",
      ...pageOf(pkg.name),
      ...(pkg.abandoned !== null ? { abandoned: pkg.abandoned || true } : {}),
    })),
    ...upstreamMatches.slice(Math.max(0, start - matches.length), Math.max(0, start + PER_PAGE - matches.length)).map((name) => ({ name, description: "", url: `${base}/p2/${name}.json` })),
  ];
  const next = page * PER_PAGE < total ? `${base}/search.json?${new URLSearchParams({ q: query, type, page: String(page + 1) })}` : undefined;
  return c.json({ results, total, ...(next ? { next } : {}) });
}
