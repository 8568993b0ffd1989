// Events for outgoing hooks: what an event carries (the template's only data: no secret, no
// environment), which hooks want it, and one queued delivery per hook. Queuing is a DB insert;
// sending happens after the response (see outbox.ts).
import { activeHooks, insertDelivery, type HookRow, type NewDelivery } from "./outbox-store.ts";
import type { Services } from "../../services.ts";
import { packageFilterMatches, versionMatches } from "./hook-filter.ts";
import { parseTemplate, renderTemplate, TemplateError } from "./template.ts";

export const EVENT_NAMES = [
  "new_release",
  "update_release",
  "delete_release",
  "push_new_event",
  "update_new_event",
  "update_repo_failed",
  "new_repo",
  "delete_repo",
  "http_request",
  "security_alert",
] as const;
export type EventName = (typeof EVENT_NAMES)[number];

/** Events whose versions a hook's version constraint filters. */
const VERSION_EVENTS: readonly string[] = ["new_release", "update_release", "delete_release", "push_new_event", "update_new_event"];

export interface EventVersion {
  version: string;
  version_normalized: string;
  reference: string | null;
  time: string | null;
}

export interface HookEvent {
  event: EventName;
  /** ISO-8601 time of the event. */
  timestamp: string;
  package: { name: string; repository: string | null } | null;
  versions: EventVersion[];
  /** The first of `versions`: a shortcut for templates about one release. */
  version: EventVersion | null;
  user: { username: string } | null;
  /** update_repo_failed: why. */
  error?: string;
  /** security_alert: the monitored repository and the newly affected (package, version, advisory) of its composer.lock. */
  repository?: string;
  alerts?: SecurityAlertPayload[];
  /** http_request: what the caller sent to /api/webhook-invoke/{name}. */
  request?: unknown;
  /** Sent by "send test". */
  test?: boolean;
}

export type { HookRow };

export interface SecurityAlertPayload {
  package: string;
  version: string;
  advisoryId: string;
  title: string;
  cve: string | null;
  link: string | null;
  severity: string | null;
  affectedVersions: string;
}

export function makeEvent(services: Services, event: EventName, fields: Partial<Omit<HookEvent, "event" | "timestamp">> = {}): HookEvent {
  const versions = fields.versions ?? [];
  return { package: null, user: null, ...fields, event, timestamp: new Date(services.now()).toISOString(), versions, version: versions[0] ?? null };
}

/** A release of a made-up package: for "send test" and for checking templates at save time. */
export function sampleEvent(services: Services, event: EventName): HookEvent {
  const alert = { package: "acme/dependency", version: "1.1.0", advisoryId: "SATCHEL-2026-sample", title: "A sample advisory", cve: null, link: null, severity: "high", affectedVersions: ">=1.0,<1.2" };
  return makeEvent(services, event, {
    package: { name: "acme/sample", repository: "https://git.example.com/acme/sample.git" },
    versions: [{ version: "1.2.0", version_normalized: "1.2.0.0", reference: "0123456789abcdef0123456789abcdef01234567", time: new Date(services.now()).toISOString() }],
    user: { username: "admin" },
    ...(event === "security_alert" ? { repository: "acme/sample", alerts: [alert] } : {}),
  });
}

/** Queues the event for every active hook that wants it; returns the delivery ids. */
export async function emitEvent(services: Services, event: HookEvent, only?: HookRow): Promise<string[]> {
  const rows = deliveriesFor(services, only ? [only] : await activeHooks(services.db), event, only !== undefined);
  for (const row of rows) await insertDelivery(services.db, row);
  if (rows.length) services.hooks.requestDrain();
  return rows.map((row) => row.id);
}

/** One delivery per hook of `hooks` that wants the event (`forced`: every hook, as given). */
export function deliveriesFor(services: Services, hooks: HookRow[], event: HookEvent, forced = false): NewDelivery[] {
  const rows: NewDelivery[] = [];
  for (const hook of hooks) {
    const tailored = forced ? event : tailorFor(hook, event);
    if (!tailored) continue;
    const payload = payloadFor(hook, tailored);
    // A template that fails to render is recorded as a failed delivery, never sent.
    const failure = "error" in payload ? payload.error : null;
    rows.push({
      id: crypto.randomUUID(),
      hookId: hook.id,
      event: tailored.event,
      status: failure ? "failed" : "pending",
      url: hook.url,
      method: hook.method,
      headers: { ...hook.headers, "content-type": hook.contentType },
      body: "body" in payload ? payload.body : "",
      nextAttemptAt: services.now(),
      lastError: failure,
      createdAt: services.now(),
      finishedAt: failure ? services.now() : null,
    });
  }
  return rows;
}

/** The event as this hook sees it (versions its constraint admits), or null when it does not want it. */
function tailorFor(hook: HookRow, event: HookEvent): HookEvent | null {
  if (!hook.events.includes(event.event)) return null;
  // A hook for some packages does not hear of events about none (a new repository that failed).
  if (hook.packageFilter !== null && (!event.package || !packageFilterMatches(hook.packageFilter, event.package.name))) return null;
  if (!VERSION_EVENTS.includes(event.event) || hook.versionConstraint === null) return event;
  const versions = event.versions.filter((version) => versionMatches(hook.versionConstraint, version.version_normalized));
  return versions.length ? { ...event, versions, version: versions[0] } : null;
}

/** The body: the template rendered (bounded), or the event as JSON when there is none. */
export function payloadFor(hook: Pick<HookRow, "template" | "contentType">, event: HookEvent): { body: string } | { error: string } {
  const form = hook.contentType === "application/x-www-form-urlencoded";
  // Without a template a form carries the JSON as `payload`, as GitHub's form hooks do.
  if (!hook.template) return { body: form ? new URLSearchParams({ payload: JSON.stringify(event) }).toString() : JSON.stringify(event) };
  try {
    return { body: renderTemplate(parseTemplate(hook.template), event, hook.contentType.includes("json") ? "json" : form ? "url" : "none") };
  } catch (error) {
    if (error instanceof TemplateError) return { error: `Template: ${error.message}` };
    throw error;
  }
}
