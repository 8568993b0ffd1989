// A repository on the worker's own disk: allowed for `satchel-git scan` (its user has the disk
// already) but, for jobs, only when the operator sets SATCHEL_ALLOW_LOCAL_REPOS=1.
export function isLocalRepository(url: string): boolean {
  return url.startsWith("file:") || url.startsWith("/") || url.startsWith(".") || /^[A-Za-z]:[\\/]/.test(url);
}
