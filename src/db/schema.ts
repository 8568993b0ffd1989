// The one source of the schema: drizzle-kit generates migrations/ from this file, and both
// wrangler (D1) and the Node entry (libSQL) apply that folder.
import { sql } from "drizzle-orm";
import { index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

/** Timestamps are unix milliseconds unless the column name ends in `_clock` (unix seconds from the change clock). */
const createdAt = () => integer("created_at").notNull().default(sql`(unixepoch() * 1000)`);

export const meta = sqliteTable("meta", {
  key: text("key").primaryKey(),
  value: text("value").notNull(),
});

export const users = sqliteTable(
  "users",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    username: text("username").notNull(),
    email: text("email"),
    passwordHash: text("password_hash"),
    roles: text("roles", { mode: "json" }).$type<string[]>().notNull(),
    expiresAt: integer("expires_at"),
    expiredUpdatesAt: integer("expired_updates_at"),
    disabled: integer("disabled", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    /** Bumped from the change clock whenever what this user may see changes. */
    aclClock: integer("acl_clock").notNull().default(0),
    /** TOTP secret (RFC 6238), sealed like credentials; null: no second factor. */
    totpSecretEnc: text("totp_secret_enc"),
    /** The last accepted TOTP time step: a code is never accepted twice. */
    totpLastStep: integer("totp_last_step"),
  },
  (t) => [uniqueIndex("users_username_unique").on(sql`lower(${t.username})`)],
);

export const groups = sqliteTable(
  "groups",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    expiredUpdatesAt: integer("expired_updates_at"),
    createdAt: createdAt(),
    aclClock: integer("acl_clock").notNull().default(0),
  },
  (t) => [uniqueIndex("groups_name_unique").on(t.name)],
);

export const groupGrants = sqliteTable(
  "group_grants",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    groupId: integer("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
    /** `vendor/name` or `vendor/*`. */
    pattern: text("pattern").notNull(),
    versionConstraint: text("version_constraint"),
  },
  (t) => [index("group_grants_group").on(t.groupId)],
);

export const userGroups = sqliteTable(
  "user_groups",
  {
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    groupId: integer("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.userId, t.groupId] }), index("user_groups_group").on(t.groupId)],
);

export const tokens = sqliteTable(
  "tokens",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    jti: text("jti").notNull(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    scopes: text("scopes", { mode: "json" }).$type<string[]>().notNull(),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at"),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
  },
  (t) => [uniqueIndex("tokens_jti_unique").on(t.jti), index("tokens_user").on(t.userId)],
);

export const credentials = sqliteTable("credentials", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  /** ssh-key | github-token | gitlab-token | http-basic */
  kind: text("kind").notNull(),
  /** Non-secret part shown back: a public key, a username, a host. */
  publicInfo: text("public_info"),
  /** AES-GCM ciphertext (base64) of the secret, keyed by ENCRYPTION_KEY, never in the clear. */
  secretEnc: text("secret_enc").notNull(),
  createdAt: createdAt(),
});

export const packages = sqliteTable(
  "packages",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** vcs | artifact */
    kind: text("kind").notNull(),
    repository: text("repository"),
    credentialsId: integer("credentials_id").references(() => credentials.id, { onDelete: "set null" }),
    description: text("description"),
    /** Composer package type of the newest version (for search.json's type filter). */
    packageType: text("package_type"),
    isPublic: integer("is_public", { mode: "boolean" }).notNull().default(false),
    abandoned: text("abandoned"),
    createdAt: createdAt(),
    /** Change-clock second of the last metadata change: the p2 Last-Modified. */
    updatedClock: integer("updated_clock").notNull().default(0),
    /** Bumped with every version write; a p2 document built from an older revision never replaces a newer one. */
    versionsRev: integer("versions_rev").notNull().default(0),
    docsRev: integer("docs_rev").notNull().default(-1),
    tagsDocKey: text("tags_doc_key"),
    devDocKey: text("dev_doc_key"),
    crawledAt: integer("crawled_at"),
    updateError: text("update_error"),
  },
  (t) => [uniqueIndex("packages_name_unique").on(t.name)],
);

export const versions = sqliteTable(
  "versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id").notNull().references(() => packages.id, { onDelete: "cascade" }),
    version: text("version").notNull(),
    versionNormalized: text("version_normalized").notNull(),
    reference: text("reference"),
    isDev: integer("is_dev", { mode: "boolean" }).notNull(),
    releasedAt: integer("released_at"),
    /** The full published p2 entry (expanded), with the dist URL relative to the public base. */
    data: text("data").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("versions_package_normalized").on(t.packageId, t.versionNormalized)],
);

export const jobs = sqliteTable(
  "jobs",
  {
    id: text("id").primaryKey(),
    kind: text("kind").notNull(),
    packageId: integer("package_id").references(() => packages.id, { onDelete: "cascade" }),
    /** queued | running | done | failed */
    status: text("status").notNull(),
    payload: text("payload", { mode: "json" }).$type<Record<string, unknown>>(),
    result: text("result", { mode: "json" }).$type<Record<string, unknown>>(),
    attempts: integer("attempts").notNull().default(0),
    leaseUntil: integer("lease_until"),
    workerId: text("worker_id"),
    createdAt: createdAt(),
    startedAt: integer("started_at"),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("jobs_status").on(t.status, t.createdAt),
    index("jobs_package").on(t.packageId),
    index("jobs_created").on(t.createdAt),
    // At most one queued job per package and kind: a flood of hooks coalesces atomically.
    uniqueIndex("jobs_one_queued").on(t.packageId, t.kind).where(sql`status = 'queued'`),
  ],
);

export const downloads = sqliteTable(
  "downloads",
  {
    packageId: integer("package_id").notNull().references(() => packages.id, { onDelete: "cascade" }),
    versionNormalized: text("version_normalized").notNull(),
    /** YYYY-MM-DD (UTC) */
    day: text("day").notNull(),
    count: integer("count").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.packageId, t.versionNormalized, t.day] }), index("downloads_day").on(t.day)],
);

/** One-time 2FA recovery codes, stored as keyed hashes (HMAC with ENCRYPTION_KEY). */
export const recoveryCodes = sqliteTable(
  "recovery_codes",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    codeHash: text("code_hash").notNull(),
    usedAt: integer("used_at"),
  },
  (t) => [index("recovery_codes_user").on(t.userId)],
);

/** Every admin action: who, what, when, from where. Actor names are copied so rows outlive users. */
export const auditLog = sqliteTable(
  "audit_log",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    at: integer("at").notNull(),
    actorId: integer("actor_id"),
    actorName: text("actor_name").notNull(),
    action: text("action").notNull(),
    target: text("target"),
    details: text("details", { mode: "json" }).$type<Record<string, unknown>>(),
    ip: text("ip"),
  },
  (t) => [index("audit_log_at").on(t.at)],
);
