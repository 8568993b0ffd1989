// The claims a trusted publisher requires of a CI token: exact strings, where `*` matches any
// run of characters (`refs/tags/*`). Every declared claim must be present and match.

/** Claims Satchel checks itself (signature, issuer, audience, lifetime): not declarable. */
const CHECKED_CLAIMS = new Set(["iss", "aud", "exp", "iat", "nbf", "jti"]);
const CLAIM_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;
const MAX_CLAIMS = 20;

/** Why these claim patterns cannot be declared; null when they can. */
export function claimPatternsProblem(claims: unknown): string | null {
  if (!claims || typeof claims !== "object" || Array.isArray(claims)) return '"claims" must be an object of claim name to pattern.';
  const entries = Object.entries(claims);
  if (entries.length === 0 || entries.length > MAX_CLAIMS) return `"claims" must name 1 to ${MAX_CLAIMS} claims.`;
  for (const [name, pattern] of entries) {
    if (!CLAIM_NAME.test(name)) return `"${name.slice(0, 64)}" is not a claim name.`;
    if (CHECKED_CLAIMS.has(name)) return `"${name}" is checked by Satchel itself; declare "issuer" and "audience" instead.`;
    if (typeof pattern !== "string" || pattern === "" || pattern.length > 255) return `The pattern for "${name}" must be a non-empty string of at most 255 characters.`;
  }
  // Without one exact claim (a repository, a project path, a subject), every repository on the
  // issuer (all of github.com) could publish.
  if (entries.every(([, pattern]) => String(pattern).includes("*"))) {
    return 'At least one claim must be exact (no "*"), e.g. "repository" (GitHub) or "project_path" (GitLab).';
  }
  return null;
}

export function claimsMatch(patterns: Record<string, string>, payload: Record<string, unknown>): boolean {
  return Object.entries(patterns).every(([name, pattern]) => {
    const value = payload[name];
    return typeof value === "string" && globMatches(pattern, value);
  });
}

function globMatches(pattern: string, value: string): boolean {
  const parts = pattern.split("*");
  if (parts.length === 1) return pattern === value;
  const first = parts[0] as string;
  const last = parts[parts.length - 1] as string;
  if (value.length < first.length + last.length || !value.startsWith(first) || !value.endsWith(last)) return false;
  // Greedy left-to-right: each middle piece at its first place after the previous one.
  let at = first.length;
  const end = value.length - last.length;
  for (const part of parts.slice(1, -1)) {
    const found = value.indexOf(part, at);
    if (found < 0 || found + part.length > end) return false;
    at = found + part.length;
  }
  return true;
}
