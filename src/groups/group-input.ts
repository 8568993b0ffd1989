// Validation of group documents: grants are `vendor/name` or `vendor/*`, each with an optional
// Composer version constraint that must parse.
import { parseConstraints } from "../composer-rules/constraints.ts";
import { isPackagePattern } from "../composer-rules/package-name.ts";
import { badRequest } from "../http/errors.ts";
import { optionalBoolean, optionalDate, optionalString, type JsonObject } from "../http/json-body.ts";
import { isStability, type Stability } from "../composer-rules/stability.ts";

export interface GrantInput {
  name: string;
  version: string | null;
}

export interface GroupInput {
  name?: string;
  expiredUpdatesAt?: number | null;
  hideSources?: boolean;
  hideDevVersions?: boolean;
  minimumStability?: Stability | null;
  packages?: GrantInput[];
}


export function readGroupInput(body: JsonObject, creating: boolean): GroupInput {
  const input: GroupInput = {};
  const name = optionalString(body, "name", 100);
  if (name) input.name = name;
  else if (creating) throw badRequest('"name" is required.');
  input.expiredUpdatesAt = optionalDate(body, "expiredUpdatesAt");
  input.hideSources = optionalBoolean(body, "hideSources");
  input.hideDevVersions = optionalBoolean(body, "hideDevVersions");
  if (body.minimumStability !== undefined) {
    const value = body.minimumStability;
    if (value !== null && !isStability(value)) throw badRequest('"minimumStability" must be one of "stable", "RC", "beta", "alpha", "dev", or null.', "invalid_stability");
    input.minimumStability = value === "dev" ? null : value;
  }
  if (body.packages !== undefined) {
    if (!Array.isArray(body.packages) || body.packages.length > 5000) throw badRequest('"packages" must be a list of {"name", "version"?}.');
    input.packages = body.packages.map(readGrant);
  }
  return input;
}

function readGrant(raw: unknown, index: number): GrantInput {
  if (!raw || typeof raw !== "object") throw badRequest(`packages[${index}] must be an object {"name", "version"?}.`);
  const { name, version } = raw as Record<string, unknown>;
  if (typeof name !== "string" || !isPackagePattern(name)) {
    throw badRequest(`packages[${index}].name must be a lowercase package name or a vendor wildcard like "acme/*".`, "invalid_grant");
  }
  if (version === undefined || version === null || version === "" || version === "*") return { name, version: null };
  if (typeof version !== "string" || version.length > 255) throw badRequest(`packages[${index}].version must be a version constraint.`, "invalid_grant");
  try {
    parseConstraints(version);
  } catch (error) {
    throw badRequest(`packages[${index}].version "${version}" is not a valid constraint: ${error instanceof Error ? error.message : ""}`, "invalid_grant");
  }
  return { name, version };
}
