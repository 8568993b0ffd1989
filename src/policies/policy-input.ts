// Validation of the policies document: plugin names or `vendor/*` patterns, and a Composer
// release version for the minimum client.
import { isPackagePattern } from "../composer-rules/package-name.ts";
import { normalize, parseStability } from "../composer-rules/version-parser.ts";
import { AppError } from "../http/errors.ts";
import type { JsonObject } from "../http/json-body.ts";
import type { Policies } from "./policy-store.ts";

const invalid = (message: string) => new AppError(422, "invalid_policy", message);

/** The policies after applying `body` (fields left out keep their current value). */
export function readPolicyInput(body: JsonObject, current: Policies): Policies {
  const next: Policies = { pluginAllowlist: { ...current.pluginAllowlist }, minimumComposerVersion: current.minimumComposerVersion };
  if (body.pluginAllowlist !== undefined) {
    const input = body.pluginAllowlist as Record<string, unknown> | null;
    if (!input || typeof input !== "object" || Array.isArray(input)) throw invalid('"pluginAllowlist" must be {"enabled": bool, "allowed": ["vendor/name" | "vendor/*"]}.');
    if (input.enabled !== undefined) {
      if (typeof input.enabled !== "boolean") throw invalid('"pluginAllowlist.enabled" must be true or false.');
      next.pluginAllowlist.enabled = input.enabled;
    }
    if (input.allowed !== undefined) next.pluginAllowlist.allowed = readPatterns(input.allowed);
  }
  if (body.minimumComposerVersion !== undefined) next.minimumComposerVersion = readMinimumVersion(body.minimumComposerVersion);
  return next;
}

function readPatterns(raw: unknown): string[] {
  if (!Array.isArray(raw) || raw.length > 1000) throw invalid('"pluginAllowlist.allowed" must be a list of package names or "vendor/*" patterns.');
  const patterns = raw.map((pattern, index) => {
    if (typeof pattern !== "string" || !isPackagePattern(pattern)) {
      throw invalid(`pluginAllowlist.allowed[${index}] must be a lowercase package name or a vendor wildcard like "acme/*".`);
    }
    return pattern;
  });
  return [...new Set(patterns)].sort();
}

function readMinimumVersion(raw: unknown): string | null {
  if (raw === null || raw === "") return null;
  if (typeof raw !== "string" || raw.length > 50) throw invalid('"minimumComposerVersion" must be a Composer release such as "2.7.0", or null.');
  try {
    if (parseStability(normalize(raw)) === "dev") throw new Error("dev");
  } catch {
    throw invalid(`"minimumComposerVersion" "${raw}" is not a Composer release version such as "2.7.0".`);
  }
  return raw.trim();
}
