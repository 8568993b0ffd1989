// What each incoming provider endpoint knows: how its requests name the event and the
// delivery, how they prove who sent them, and what a payload asks Satchel to do.
import { badRequest } from "../../../http/errors.ts";
import type { JsonObject } from "../../../http/json-body.ts";
import type { PullRequestRef } from "../../../integrations/lock-review/review-pull-request.ts";

export type ProviderId = "github" | "gitlab" | "gitea" | "bitbucket" | "generic";

export const PROVIDER_IDS: readonly ProviderId[] = ["github", "gitlab", "gitea", "bitbucket", "generic"];

/** A keyed signature over the raw body, or a shared token sent as is (GitLab). */
export type Proof = { kind: "hmac-sha256"; hex: string } | { kind: "token"; value: string };

export type HookIntent =
  /** The provider checks that the endpoint answers (GitHub ping, Bitbucket Server test). */
  | { kind: "ping"; urls: string[] }
  /** Refs changed in the repository at one of `urls`: its packages are updated. */
  | { kind: "update"; urls: string[]; refs: string[] }
  /** A pull request opened or pushed to: its composer.lock change is reviewed (null: an action that needs none). */
  | { kind: "pull-request"; urls: string[]; pullRequest: PullRequestRef | null };

export interface IncomingProvider {
  id: ProviderId;
  /** The event name; undefined when the request names none. */
  event(headers: Headers): string | undefined;
  /** The provider's id for this delivery (the same on a redelivery), if it sends one. */
  deliveryId(headers: Headers): string | undefined;
  proof(headers: Headers): Proof | null;
  /** The header that carries the proof, as error messages name it (none: tokens only). */
  proofHeader?: string;
  /** Throws a 400 naming the supported events for anything else. */
  interpret(event: string, payload: JsonObject): HookIntent;
}

export function unsupportedEvent(provider: string, event: string, supported: string[]): never {
  throw badRequest(`Satchel does not handle the ${provider} event "${event.slice(0, 60)}"; send ${supported.join(", ")}.`, "unsupported_event");
}

/** The named header, or undefined when absent or empty. */
export function header(headers: Headers, ...names: string[]): string | undefined {
  for (const name of names) {
    const value = headers.get(name)?.trim();
    if (value) return value;
  }
  return undefined;
}

/** `sha256=<hex>` (or bare hex) into a proof. */
export function hexSignature(value: string | undefined, prefix: string): Proof | null {
  if (!value) return null;
  const hex = value.startsWith(prefix) ? value.slice(prefix.length) : value;
  return /^[0-9a-f]{64}$/i.test(hex) ? { kind: "hmac-sha256", hex: hex.toLowerCase() } : { kind: "hmac-sha256", hex: "" };
}

/** The string at a path of nested objects, if there is one. */
export function stringAt(value: unknown, ...path: string[]): string | undefined {
  let current = value;
  for (const key of path) {
    if (!current || typeof current !== "object" || Array.isArray(current)) return undefined;
    current = (current as JsonObject)[key];
  }
  return typeof current === "string" && current !== "" ? current : undefined;
}

/** The repository URLs a payload names; a payload without one gets a 400. */
export function requireUrls(provider: string, urls: (string | undefined)[]): string[] {
  const found = [...new Set(urls.filter((url): url is string => typeof url === "string" && url.length > 0 && url.length <= 2048))];
  if (found.length === 0) throw badRequest(`The ${provider} payload names no repository URL.`, "missing_repository");
  return found;
}
