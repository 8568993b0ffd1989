// The narrow contracts between the app and its runtime. Entry points (worker.ts, node.ts)
// build these from bindings; everything else receives them.
import type { BatchItem } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { AppConfig } from "./config.ts";
import type * as schema from "./db/schema.ts";
import type { HookTransport } from "./webhooks/outgoing/hook-runtime.ts";
import type { LdapDirectory } from "./identity/ldap-directory.ts";
import type { Mailer } from "./mail/mailer.ts";

export type Orm = BaseSQLiteDatabase<"async", unknown, typeof schema>;
export type BatchStatement = BatchItem<"sqlite">;

export interface Database {
  orm: Orm;
  /** Runs the statements atomically, in order (D1 batch / libSQL transaction). */
  batch(statements: [BatchStatement, ...BatchStatement[]]): Promise<readonly unknown[]>;
}

export interface StoredBlob {
  size: number;
  body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}

export interface BlobStore {
  get(key: string): Promise<StoredBlob | null>;
  put(key: string, data: Uint8Array | string): Promise<void>;
  has(key: string): Promise<boolean>;
  delete(keys: string[]): Promise<void>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface AppPorts {
  db: Database;
  blobs: BlobStore;
  config: AppConfig;
  log?: Logger;
  /** Current time in ms; injectable so expiry rules can be tested. */
  now?: () => number;
  /** The client's address from the runtime's request environment (Node: the socket's). */
  clientAddress?: (runtimeEnv: unknown) => string | undefined;
  /** Outgoing HTTP (upstream repositories, webhooks); default: the runtime's fetch. */
  fetch?: typeof fetch;
  /** The addresses a host name resolves to (Node: DNS), for the "public address" trust rule. */
  resolveHost?: (hostname: string) => Promise<string[]>;
  /** Mail over SMTP (Node: SATCHEL_SMTP_URL); without it, SATCHEL_MAIL_API_URL or no mail. */
  mailer?: Mailer;
  /** The company directory for LDAP sign-in (Node only: SATCHEL_LDAP_*). */
  ldap?: LdapDirectory;
  /** Outgoing webhook deliveries; default: fetch without redirects (Node: checked at connect). */
  hookTransport?: HookTransport;
}
