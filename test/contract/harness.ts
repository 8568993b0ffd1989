// What the contract suite needs from a runtime: a way to send requests to an app built on that
// runtime's real storage (workerd: D1 + R2; Node: a libSQL file + a folder), a controllable
// clock, and a second app instance over the same storage (another isolate or process).
import { zipSync, strToU8 } from "fflate";
import type { SatchelApp } from "../../src/app.ts";
import type { AppConfig } from "../../src/config.ts";
import type { LdapDirectory } from "../../src/identity/ldap-directory.ts";
import type { Mailer } from "../../src/mail/mailer.ts";

export interface Clock {
  now: number;
}

export interface Harness {
  app: SatchelApp;
  clock: Clock;
  /** Another app over the same DB and blobs, with its own memory (another isolate/process). */
  sibling(): SatchelApp;
}

/** Extra ports a suite may give the app (the proxy suite's in-process upstream). */
export interface HarnessPorts {
  fetch?: typeof fetch;
  /** The directory for LDAP sign-in (Node only). */
  ldap?: LdapDirectory;
  /** Mail over SMTP (Node). */
  mailer?: Mailer;
}

export type HarnessFactory = (overrides?: Partial<AppConfig>, ports?: HarnessPorts) => Promise<Harness>;

export const TEST_CONFIG: AppConfig = {
  publicUrl: "https://repo.example.test",
  adminUser: "admin",
  adminPassword: "admin-password",
  jwtSecret: "test-jwt-secret-0123456789",
  encryptionKey: "test-encryption-key-0123456789",
  workerToken: "test-worker-token-0123456789",
  allowLocalRepos: false,
  maxUploadBytes: 2 * 1024 * 1024,
  maxUnpackedBytes: 20 * 1024 * 1024,
  defaultUpstream: null,
  cacheTtlMs: 3000,
  statsFlushMs: 0,
};

export function basic(username: string, token: string): Record<string, string> {
  return { authorization: `Basic ${btoa(`${username}:${token}`)}` };
}

export function bearer(token: string): Record<string, string> {
  return { authorization: `Bearer ${token}` };
}

export async function json<T = Record<string, unknown>>(response: Response): Promise<T> {
  return (await response.json()) as T;
}

/** A package archive as `composer archive` would make it (files at the root) or wrapped. */
export function packageZip(composer: Record<string, unknown>, options: { wrapIn?: string; files?: Record<string, string> } = {}): Uint8Array {
  const prefix = options.wrapIn ? `${options.wrapIn}/` : "";
  const tree: Record<string, Uint8Array> = { [`${prefix}composer.json`]: strToU8(JSON.stringify(composer)) };
  for (const [name, content] of Object.entries(options.files ?? { "src/Hello.php": "<?php\n" })) tree[`${prefix}${name}`] = strToU8(content);
  return zipSync(tree);
}

let uniqueCounter = 0;
/** Package and user names unique per call, so suites can share one database. */
export function unique(prefix: string): string {
  uniqueCounter++;
  return `${prefix}${Date.now().toString(36)}${uniqueCounter}${Math.random().toString(36).slice(2, 6)}`;
}
