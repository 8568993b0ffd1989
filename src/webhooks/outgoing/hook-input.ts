// Checking an outgoing hook's settings (from the API or the admin form) before it is saved:
// the target, the events, the filters, the headers and the template, which is rendered once
// against a sample event so that a broken or oversized template is refused at save time.
import { badRequest } from "../../http/errors.ts";
import type { Services } from "../../services.ts";
import { EVENT_NAMES, payloadFor, sampleEvent } from "./events.ts";
import { checkPackageFilter, checkVersionConstraint } from "./hook-filter.ts";
import { allowedHosts, checkTarget } from "./target-guard.ts";
import { MAX_TEMPLATE_LENGTH } from "./template.ts";

export const HOOK_METHODS = ["POST", "PUT", "PATCH"] as const;
export const CONTENT_TYPES = ["application/json", "application/x-www-form-urlencoded", "text/plain"] as const;
const RESERVED_HEADERS = /^(host|content-length|content-type|connection|transfer-encoding|user-agent|x-satchel-.*)$/i;

export interface HookSettings {
  name: string;
  url: string;
  method: string;
  events: string[];
  packageFilter: string | null;
  versionConstraint: string | null;
  headers: Record<string, string>;
  template: string | null;
  contentType: string;
  active: boolean;
}

/** Raw settings, each possibly missing (an update names only what changes). */
export type HookSettingsInput = { [K in keyof HookSettings]?: unknown };

export async function checkHookSettings(services: Services, input: HookSettingsInput, current?: HookSettings): Promise<HookSettings> {
  const pick = <K extends keyof HookSettings>(key: K): unknown => (input[key] === undefined ? current?.[key] : input[key]);
  const settings: HookSettings = {
    name: checkName(pick("name")),
    url: await checkUrl(services, pick("url")),
    method: oneOf("method", String(pick("method") ?? "POST").toUpperCase(), HOOK_METHODS),
    events: checkEvents(pick("events")),
    packageFilter: checkPackageFilter(nullableString("packageFilter", pick("packageFilter"))),
    versionConstraint: checkVersionConstraint(nullableString("versionConstraint", pick("versionConstraint"))),
    headers: checkHeaders(pick("headers") ?? {}),
    template: nullableString("template", pick("template"), MAX_TEMPLATE_LENGTH)?.replace(/\r\n/g, "\n") || null,
    contentType: oneOf("contentType", String(pick("contentType") ?? "application/json"), CONTENT_TYPES),
    active: checkActive(pick("active")),
  };
  checkTemplate(services, settings);
  return settings;
}

function checkName(raw: unknown): string {
  if (typeof raw !== "string" || !/^[A-Za-z0-9._-]{1,100}$/.test(raw.trim())) {
    throw badRequest('"name" is required: letters, digits, ".", "_" and "-" (it names the hook in /api/webhook-invoke/{name}).');
  }
  return raw.trim();
}

async function checkUrl(services: Services, raw: unknown): Promise<string> {
  if (typeof raw !== "string" || raw.trim() === "" || raw.length > 2048) throw badRequest('"url" is required: the http(s) address the hook sends to.');
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw badRequest(`"${raw.slice(0, 100)}" is not an absolute URL.`);
  }
  const check = await checkTarget(services, url, await allowedHosts(services));
  if (!check.ok && !check.retry) throw badRequest(check.reason, "target_refused");
  return url.href;
}

function checkEvents(raw: unknown): string[] {
  const list = Array.isArray(raw) ? raw : typeof raw === "string" ? raw.split(/[,\s]+/).filter(Boolean) : [];
  const unknown = list.filter((event) => !(EVENT_NAMES as readonly unknown[]).includes(event));
  if (list.length === 0 || unknown.length) throw badRequest(`"events" must list some of ${EVENT_NAMES.join(", ")}${unknown.length ? ` (not ${String(unknown[0]).slice(0, 40)})` : ""}.`);
  return [...new Set(list as string[])];
}

function checkHeaders(raw: unknown): Record<string, string> {
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) throw badRequest('"headers" must be an object of header names and values.');
  const entries = Object.entries(raw as Record<string, unknown>);
  if (entries.length > 20) throw badRequest("A hook may set at most 20 headers.");
  const headers: Record<string, string> = {};
  for (const [name, value] of entries) {
    if (!/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/.test(name) || RESERVED_HEADERS.test(name)) throw badRequest(`"${name.slice(0, 60)}" cannot be set as a header.`);
    if (typeof value !== "string" || value.length > 2000 || /[\r\n\0]/.test(value)) throw badRequest(`The value of header ${name} must be one line of text.`);
    headers[name.toLowerCase()] = value;
  }
  return headers;
}

/** Renders the template for a sample release; JSON payloads must come out as valid JSON. */
function checkTemplate(services: Services, settings: HookSettings): void {
  if (!settings.template) return;
  const sample = sampleEvent(services, "new_release");
  const rendered = payloadFor(settings, sample);
  if ("error" in rendered) throw badRequest(rendered.error, "invalid_template");
  if (settings.contentType === "application/json") {
    try {
      JSON.parse(rendered.body);
    } catch (error) {
      throw badRequest(`The template does not render valid JSON for a sample release: ${error instanceof Error ? error.message : "invalid"}.`, "invalid_template");
    }
  }
}

function checkActive(raw: unknown): boolean {
  if (raw === undefined) return true;
  if (typeof raw !== "boolean") throw badRequest('"active" must be true or false.');
  return raw;
}

function nullableString(field: string, raw: unknown, maxLength = 500): string | null {
  if (raw === undefined || raw === null) return null;
  if (typeof raw !== "string") throw badRequest(`"${field}" must be a string.`);
  if (raw.length > maxLength) throw badRequest(`"${field}" is longer than ${maxLength} characters.`);
  return raw;
}

function oneOf<T extends string>(field: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) throw badRequest(`"${field}" must be one of ${allowed.join(", ")}.`);
  return value as T;
}
