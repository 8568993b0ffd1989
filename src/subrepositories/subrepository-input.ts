// Validation of sub-repository documents. The slug becomes part of a URL (`/sub/{slug}`) and
// must not read as one of Satchel's own routes; the hostname is a DNS name whose requests are
// served as this sub-repository. Package patterns follow the grant rule (`vendor/name`,
// `vendor/*`); names no package has yet are accepted (shown as "not yet present").
import { isPackagePattern } from "../composer-rules/package-name.ts";
import { AppError } from "../http/errors.ts";
import type { JsonObject } from "../http/json-body.ts";

export interface SubrepositoryInput {
  name?: string;
  slug?: string;
  packages?: string[];
  isPublic?: boolean;
  hostname?: string | null;
}

export const SLUG_PATTERN = /^[a-z0-9][a-z0-9-]{0,62}$/;

/** First path segments of Satchel's routes and pages: a slug equal to one reads as a route. */
const RESERVED_SLUGS = new Set([
  "2fa", "account", "admin", "advisories", "api", "assets", "audit", "auth", "backup", "credentials", "dist", "downloads",
  "groups", "healthz", "identity-providers", "incoming", "invitations", "jobs", "keys", "login", "logout", "metrics",
  "my-packages", "new", "oidc", "p2", "packages", "password", "password-reset", "proxy", "search", "service-accounts",
  "setup", "static", "stats", "sub", "subrepositories", "tokens", "upload", "upstreams", "users", "webhooks", "zipball",
]);

const MAX_PATTERNS = 5000;

const invalid = (message: string) => new AppError(422, "invalid_subrepository", message);

export function readSubrepositoryInput(body: JsonObject, creating: boolean): SubrepositoryInput {
  const input: SubrepositoryInput = {};
  if (body.name !== undefined || creating) input.name = readName(body.name);
  if (body.slug !== undefined || creating) input.slug = readSlug(body.slug);
  if (body.packages !== undefined || creating) input.packages = readPatterns(body.packages ?? []);
  if (body.public !== undefined) {
    if (typeof body.public !== "boolean") throw invalid('"public" must be true or false.');
    input.isPublic = body.public;
  }
  if (body.hostname !== undefined) input.hostname = readHostname(body.hostname);
  return input;
}

function readName(value: unknown): string {
  if (typeof value !== "string" || value.trim() === "" || value.length > 100) throw invalid('"name" is required: a non-empty string of at most 100 characters.');
  return value.trim();
}

function readSlug(value: unknown): string {
  if (typeof value !== "string" || !SLUG_PATTERN.test(value)) {
    throw invalid('"slug" must be 1 to 63 lowercase letters, digits and hyphens, starting with a letter or digit (it becomes the URL /sub/{slug}).');
  }
  if (RESERVED_SLUGS.has(value)) throw invalid(`The slug "${value}" is reserved: it reads as one of Satchel's own routes. Choose another.`);
  return value;
}

function readPatterns(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > MAX_PATTERNS) throw invalid(`"packages" must be a list of at most ${MAX_PATTERNS} package names or vendor wildcards ("acme/lib", "tools/*").`);
  const patterns = value.map((raw, index) => {
    if (typeof raw !== "string" || !isPackagePattern(raw)) {
      throw invalid(`packages[${index}] must be a lowercase package name or a vendor wildcard like "acme/*".`);
    }
    return raw;
  });
  return [...new Set(patterns)];
}

/** A DNS name (RFC 1123 labels), lowercased; null or "" clears it. */
function readHostname(value: unknown): string | null {
  if (value === null || value === "") return null;
  if (typeof value !== "string") throw invalid('"hostname" must be a DNS name such as packages.customer-a.com.');
  const hostname = value.trim().toLowerCase().replace(/\.$/, "");
  const labels = hostname.split(".");
  const validLabel = (label: string) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(label);
  if (hostname.length > 253 || labels.length < 2 || !labels.every(validLabel) || /^\d+$/.test(labels.at(-1) ?? "")) {
    throw invalid(`"hostname" must be a DNS name such as packages.customer-a.com (no scheme, port or path).`);
  }
  return hostname;
}
