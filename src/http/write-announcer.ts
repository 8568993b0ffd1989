// Wraps a fetch handler so that every request that may have changed stored state (a write
// method answered 2xx) is announced: the cluster tells the sibling processes to drop their
// cached copies at once instead of waiting out SATCHEL_CACHE_TTL_MS. POSTs that only read or
// batch (notify-batch, composer audit, the git worker's job polling) are not writes here.
type Fetch = (request: Request, env?: unknown) => Response | Promise<Response>;

const READ_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);
const READ_LIKE_POSTS = new Set(["/downloads", "/downloads/", "/api/security-advisories", "/api/worker/jobs/claim"]);

/** The path of an absolute URL, without building a URL object. */
export function pathOf(url: string): string {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?", start);
  return url.slice(start, end < 0 ? undefined : end);
}

/** Whether a request may change stored state (and so what any cache holds). */
export function mayWrite(method: string, url: string): boolean {
  return !READ_METHODS.has(method) && !READ_LIKE_POSTS.has(pathOf(url));
}

export function announcingWrites(fetch: Fetch, announce: () => void): Fetch {
  return function announcingFetch(request, env) {
    if (!mayWrite(request.method, request.url)) return fetch(request, env);
    return Promise.resolve(fetch(request, env)).then((response) => {
      if (response.status >= 200 && response.status < 300) announce();
      return response;
    });
  };
}
