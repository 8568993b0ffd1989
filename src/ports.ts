// The narrow contracts between the app and its runtime. Entry points (worker.ts, node.ts)
// build these from bindings; everything else receives them.
import type { AppConfig } from "./config.ts";
import type { Database } from "./db/database.ts";
import type { LdapDirectory } from "./identity/ldap-directory.ts";
import type { Mailer } from "./mail/mailer.ts";

export type { BatchStatement, Database, Orm } from "./db/database.ts";

export interface StoredBlob {
  size: number;
  body: ReadableStream<Uint8Array>;
  bytes(): Promise<Uint8Array>;
  text(): Promise<string>;
}

export interface ListedBlob {
  key: string;
  size: number;
}

export interface BlobStore {
  get(key: string): Promise<StoredBlob | null>;
  put(key: string, data: Uint8Array | string): Promise<void>;
  has(key: string): Promise<boolean>;
  delete(keys: string[]): Promise<void>;
  /** Every blob under `prefix` ("" for all), in no promised order: for backups and garbage collection. */
  list(prefix: string): AsyncIterable<ListedBlob>;
}

export interface Logger {
  info(message: string, fields?: Record<string, unknown>): void;
  warn(message: string, fields?: Record<string, unknown>): void;
  error(message: string, fields?: Record<string, unknown>): void;
}

export interface HookRequest {
  method: string;
  headers: Record<string, string>;
  body: string;
  signal: AbortSignal;
}

/** Sends one delivery; never follows redirects. `allowPrivate`: the host is allow-listed. */
export type HookTransport = (url: string, request: HookRequest, options: { allowPrivate: boolean }) => Promise<Response>;

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
  /** The company directory for LDAP sign-in (SATCHEL_LDAP_*): ldapts over Node's sockets or Cloudflare's connect(). */
  ldap?: LdapDirectory;
  /** Outgoing webhook deliveries; default: fetch without redirects (Node: checked at connect). */
  hookTransport?: HookTransport;
}
