// `{base}/sub/{slug}/...` is a sub-repository's Composer URL. The app routes its Composer paths
// as the root's own (one set of handlers and middleware serves both): this getPath strips the
// prefix, for Composer paths only, so `/sub/x/api/users` never reaches the REST API.
import { getPath } from "hono/utils/url";

const SUB_PREFIX = /^\/sub\/([a-z0-9][a-z0-9-]{0,62})(\/.*)$/;
const COMPOSER_PATHS = new Set(["/packages.json", "/downloads/", "/downloads", "/packages/list.json", "/search.json", "/api/security-advisories"]);

function isComposerPath(path: string): boolean {
  return COMPOSER_PATHS.has(path) || path.startsWith("/p2/") || path.startsWith("/zipball/");
}

/** The slug and the Composer path of a `/sub/{slug}/...` path; null for any other path. */
export function subrepositoryPath(path: string): { slug: string; rest: string } | null {
  const match = SUB_PREFIX.exec(path);
  if (!match?.[1] || !match[2] || !isComposerPath(match[2])) return null;
  return { slug: match[1], rest: match[2] };
}

/** Hono's getPath: a sub-repository's Composer paths are routed as the root's. */
export function repositoryRoutingPath(request: Request): string {
  const path = getPath(request);
  return path.startsWith("/sub/") ? (subrepositoryPath(path)?.rest ?? path) : path;
}
