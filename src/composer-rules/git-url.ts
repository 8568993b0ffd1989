// The scp-like spelling of a git URL, as git reads it: `[user@]host:path`, no scheme, a colon
// before any slash. One rule for the edge (which URLs a package may have, which package a hook
// names) and the git worker (which provider API reads a repository). Pure: the worker imports it.

/** Groups: 1 = host, 2 = path. */
export const SCP_LIKE = /^(?:[^@/\s]+@)?([A-Za-z0-9.-]+):(?!\/\/)([^\s]+)$/;

/** Whether the URL starts with a scheme (`https://`, `git+ssh://`): then it is never scp-like. */
export function hasScheme(url: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(url);
}

/** A URL path with its %-escapes decoded, or as it was when they are malformed. */
export function decodePath(pathname: string): string {
  try {
    return decodeURIComponent(pathname);
  } catch {
    return pathname;
  }
}
