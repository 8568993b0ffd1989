// GET /search.json?q=&type=: Packagist's response shape over the packages the caller may see.
import { canSeePackage } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import type { AppContext } from "../http/context.ts";
import { publicBase } from "./public-base.ts";

const PER_PAGE = 15;

export async function serveSearch(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const query = (c.req.query("q") ?? "").trim().toLowerCase().slice(0, 200);
  const type = (c.req.query("type") ?? "").trim().toLowerCase();
  const page = Math.max(1, Math.min(10_000, Number.parseInt(c.req.query("page") ?? "1", 10) || 1));
  const { packages } = await services.catalog.snapshot(services.now());
  const words = query.split(/\s+/).filter(Boolean);
  const matches = packages.filter(
    (pkg) =>
      canSeePackage(principal, pkg) &&
      (!type || pkg.packageType?.toLowerCase() === type) &&
      words.every((word) => pkg.name.includes(word) || (pkg.description ?? "").toLowerCase().includes(word)),
  );
  const base = publicBase(c, services.config.publicUrl);
  const results = matches.slice((page - 1) * PER_PAGE, page * PER_PAGE).map((pkg) => ({
    name: pkg.name,
    description: pkg.description ?? "",
    url: `${base}/packages/${pkg.name}`,
    ...(pkg.abandoned !== null ? { abandoned: pkg.abandoned || true } : {}),
  }));
  const next = page * PER_PAGE < matches.length ? `${base}/search.json?${new URLSearchParams({ q: query, type, page: String(page + 1) })}` : undefined;
  return c.json({ results, total: matches.length, ...(next ? { next } : {}) });
}
