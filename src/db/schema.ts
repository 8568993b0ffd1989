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
    /** `person`, or `service`: a non-person account (e.g. "CI deploy") with tokens but no password, pages or 2FA. */
    kind: text("kind", { enum: ["person", "service"] }).notNull().default("person"),
    email: text("email"),
    passwordHash: text("password_hash"),
    /** Off: this user signs in only through an identity provider (SATCHEL_PASSWORD_SIGN_IN=off turns it off for everyone). */
    passwordSignIn: integer("password_sign_in", { mode: "boolean" }).notNull().default(true),
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
    /** Members get p2 entries without `source`: dist only, so Composer cannot go around Satchel. */
    hideSources: integer("hide_sources", { mode: "boolean" }).notNull().default(false),
    /** Members see no branches (`dev-*`, `*-dev`) of the packages this group grants. */
    hideDevVersions: integer("hide_dev_versions", { mode: "boolean" }).notNull().default(false),
    /** Composer's stability names (`stable`, `RC`, `beta`, `alpha`, `dev`); less stable versions are hidden. */
    minimumStability: text("minimum_stability"),
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
    /** `api` (Bearer / http-basic) or `session` (the pages' cookie): neither stands in for the other. */
    kind: text("kind", { enum: ["api", "session"] }).notNull().default("api"),
    /** The token that minted this one (null: minted by a password sign-in or a page session). */
    parentId: integer("parent_id"),
    /** Set: the token may upload to and update this one package, and do nothing else (trusted publishing). */
    packageName: text("package_name"),
    createdAt: createdAt(),
    lastUsedAt: integer("last_used_at"),
    expiresAt: integer("expires_at"),
    revokedAt: integer("revoked_at"),
    /** The kid of the key that signed it (null: issued before kids were recorded), for key rotation. */
    kid: text("kid"),
  },
  (t) => [uniqueIndex("tokens_jti_unique").on(t.jti), index("tokens_user").on(t.userId), index("tokens_parent").on(t.parentId)],
);

export const credentials = sqliteTable("credentials", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  name: text("name").notNull(),
  /** ssh-key | github-token | gitlab-token | gitea-token | bitbucket-token | http-basic */
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
    /** vcs | artifact | custom (versions defined by JSON: custom_versions) */
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
    /** The default branch's README (Markdown, as found), rendered and sanitised only on the detail page. */
    readme: text("readme"),
    /** Hooks, update-package calls and the scheduler leave this package alone; an admin's "update now" still runs. */
    updatesDisabled: integer("updates_disabled", { mode: "boolean" }).notNull().default(false),
    /** Kept with its versions but hidden from every Composer reader (packages.json, p2, zipball, list, search). */
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    /** Pull requests of this repository get a comment on what changes in composer.lock. */
    reviewLockFiles: integer("review_lock_files", { mode: "boolean" }).notNull().default(false),
    /** An application: its default branch's composer.lock is checked against advisories. */
    application: integer("application", { mode: "boolean" }).notNull().default(false),
    /** When the default branch's composer.lock was last checked (the daily pass takes the stalest). */
    lockCheckedAt: integer("lock_checked_at"),
  },
  (t) => [uniqueIndex("packages_name_unique").on(t.name)],
);

/** A custom package's version as its admin defined it (JSON); the versions row holds the entry built from it. */
export const customVersions = sqliteTable(
  "custom_versions",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id").notNull().references(() => packages.id, { onDelete: "cascade" }),
    versionNormalized: text("version_normalized").notNull(),
    /** The definition as given (JSON), external dist URL included (shown to admins and maintainers only). */
    definition: text("definition").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("custom_versions_package_version").on(t.packageId, t.versionNormalized)],
);

/**
 * An admin's change to the links of one published version, applied over the stored entry when the
 * p2 documents are built: the entry keeps the original, so a re-scan of the version keeps the patch.
 */
export const versionPatches = sqliteTable(
  "version_patches",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id").notNull().references(() => packages.id, { onDelete: "cascade" }),
    versionNormalized: text("version_normalized").notNull(),
    /** JSON: {"require"?: {...}, "require-dev"?: {...}, "conflict"?: {...}}, each replacing that map. */
    patch: text("patch").notNull(),
    createdBy: text("created_by"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("version_patches_package_version").on(t.packageId, t.versionNormalized)],
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

// ---- Proxy and mirror of upstream Composer repositories, and security advisories (issue 6) ----

/** An upstream Composer repository (packagist.org by default). Secrets sealed like credentials. */
export const upstreams = sqliteTable(
  "upstreams",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    /** Base URL of the repository (where its packages.json lives), no trailing slash. */
    url: text("url").notNull(),
    /** Lower numbers are asked first. */
    priority: integer("priority").notNull().default(0),
    username: text("username"),
    passwordEnc: text("password_enc"),
    bearerEnc: text("bearer_enc"),
    cacheDists: integer("cache_dists", { mode: "boolean" }).notNull().default(true),
    /** Only approved names (upstream_approvals) are visible. */
    strict: integer("strict", { mode: "boolean" }).notNull().default(false),
    createdAt: createdAt(),
    lastSyncAt: integer("last_sync_at"),
    lastError: text("last_error"),
    lastErrorAt: integer("last_error_at"),
    /** Requests answered from the mirror without a full upstream download (304s included). */
    hits: integer("hits").notNull().default(0),
    misses: integer("misses").notNull().default(0),
    upstreamRequests: integer("upstream_requests").notNull().default(0),
  },
  (t) => [uniqueIndex("upstreams_name_unique").on(t.name)],
);

/** Strict mode: `vendor/name` or `vendor/*` patterns an admin approved for an upstream. */
export const upstreamApprovals = sqliteTable(
  "upstream_approvals",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    upstreamId: integer("upstream_id").notNull().references(() => upstreams.id, { onDelete: "cascade" }),
    pattern: text("pattern").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("upstream_approvals_unique").on(t.upstreamId, t.pattern)],
);

/** One mirrored p2 document (or a remembered 404) per upstream, package and kind. */
export const mirrorDocuments = sqliteTable(
  "mirror_documents",
  {
    upstreamId: integer("upstream_id").notNull().references(() => upstreams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    /** tags | dev */
    kind: text("kind").notNull(),
    /** found | missing */
    status: text("status").notNull(),
    bodyKey: text("body_key"),
    distsKey: text("dists_key"),
    size: integer("size").notNull().default(0),
    /** The upstream's Last-Modified, sent back as If-Modified-Since. */
    upstreamLastModified: text("upstream_last_modified"),
    checkedAt: integer("checked_at").notNull(),
    /** Change-clock second when the served bytes last changed: our Last-Modified. */
    changedClock: integer("changed_clock").notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.upstreamId, t.name, t.kind] }), index("mirror_documents_name").on(t.name)],
);

/** Dist archives stored in the mirror (cacheDists upstreams). */
export const mirrorDists = sqliteTable(
  "mirror_dists",
  {
    upstreamId: integer("upstream_id").notNull().references(() => upstreams.id, { onDelete: "cascade" }),
    name: text("name").notNull(),
    reference: text("reference").notNull(),
    size: integer("size").notNull(),
    sha1: text("sha1").notNull(),
    createdAt: createdAt(),
  },
  (t) => [primaryKey({ columns: [t.upstreamId, t.name, t.reference] })],
);

/** Groups whose members may use the proxy when the proxy policy is "groups". */
export const proxyAccessGroups = sqliteTable("proxy_access_groups", {
  groupId: integer("group_id").primaryKey().references(() => groups.id, { onDelete: "cascade" }),
});

/** Advisories recorded by admins (for private packages, or any name). */
export const securityAdvisories = sqliteTable(
  "security_advisories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    advisoryId: text("advisory_id").notNull(),
    packageName: text("package_name").notNull(),
    title: text("title").notNull(),
    affectedVersions: text("affected_versions").notNull(),
    cve: text("cve"),
    link: text("link"),
    severity: text("severity"),
    reportedAt: integer("reported_at").notNull(),
    /** When admins were mailed about it (once it affected a published version); null: not yet. */
    notifiedAt: integer("notified_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("security_advisories_advisory_id").on(t.advisoryId), index("security_advisories_package").on(t.packageName)],
);

// ---- Webhooks in and out, and scheduled updates (issue 5) ----

/**
 * Secrets that incoming provider hooks are signed with: per package (package_id set) or per
 * integration (package_id null: any package), optionally for one provider only.
 */
export const webhookSecrets = sqliteTable(
  "webhook_secrets",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    packageId: integer("package_id").references(() => packages.id, { onDelete: "cascade" }),
    /** github | gitlab | gitea | bitbucket; null: every provider. */
    provider: text("provider"),
    secretEnc: text("secret_enc").notNull(),
    createdAt: createdAt(),
  },
  (t) => [index("webhook_secrets_package").on(t.packageId)],
);

/** Delivery ids of accepted incoming hooks: a replayed delivery is ignored. */
export const webhookReceipts = sqliteTable(
  "webhook_receipts",
  {
    provider: text("provider").notNull(),
    deliveryId: text("delivery_id").notNull(),
    receivedAt: integer("received_at").notNull(),
  },
  (t) => [primaryKey({ columns: [t.provider, t.deliveryId] }), index("webhook_receipts_at").on(t.receivedAt)],
);

/** The push hook Satchel installed on a package's GitHub/GitLab repository (removed with the package). */
export const providerHooks = sqliteTable("provider_hooks", {
  packageId: integer("package_id").primaryKey().references(() => packages.id, { onDelete: "cascade" }),
  /** github | gitlab */
  provider: text("provider").notNull(),
  apiBase: text("api_base").notNull(),
  /** owner/repo (GitHub) or the project path (GitLab). */
  project: text("project").notNull(),
  hookId: text("hook_id").notNull(),
  credentialsId: integer("credentials_id").references(() => credentials.id, { onDelete: "set null" }),
  createdAt: createdAt(),
});

/** Outgoing webhooks defined by admins. */
export const webhooks = sqliteTable(
  "webhooks",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    url: text("url").notNull(),
    method: text("method").notNull().default("POST"),
    events: text("events", { mode: "json" }).$type<string[]>().notNull(),
    /** A glob (`acme/*`) or a /regex/; null: every package. */
    packageFilter: text("package_filter"),
    /** Only versions matching this Composer constraint trigger release events. */
    versionConstraint: text("version_constraint"),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /** Mustache-like payload template; null: the default JSON payload. */
    template: text("template"),
    contentType: text("content_type").notNull().default("application/json"),
    secretEnc: text("secret_enc").notNull(),
    active: integer("active", { mode: "boolean" }).notNull().default(true),
    createdAt: createdAt(),
    updatedAt: integer("updated_at"),
  },
  (t) => [uniqueIndex("webhooks_name_unique").on(t.name)],
);

/** One event for one hook: queued, sent (with retries), recorded for the admin. */
export const webhookDeliveries = sqliteTable(
  "webhook_deliveries",
  {
    id: text("id").primaryKey(),
    hookId: integer("hook_id").notNull().references(() => webhooks.id, { onDelete: "cascade" }),
    event: text("event").notNull(),
    /** pending | sending | succeeded | failed */
    status: text("status").notNull(),
    url: text("url").notNull(),
    method: text("method").notNull(),
    headers: text("headers", { mode: "json" }).$type<Record<string, string>>().notNull(),
    body: text("body").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at"),
    /** While `sending`: until when this sender holds it (a crashed sender's delivery is retaken). */
    leaseUntil: integer("lease_until"),
    lastStatus: integer("last_status"),
    lastError: text("last_error"),
    createdAt: integer("created_at").notNull(),
    finishedAt: integer("finished_at"),
  },
  (t) => [
    index("webhook_deliveries_due").on(t.status, t.nextAttemptAt),
    index("webhook_deliveries_hook").on(t.hookId, t.createdAt),
    index("webhook_deliveries_created").on(t.createdAt),
  ],
);

/** Every attempt of a delivery: response status, body excerpt, duration or the network error. */
export const webhookAttempts = sqliteTable(
  "webhook_attempts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    deliveryId: text("delivery_id").notNull().references(() => webhookDeliveries.id, { onDelete: "cascade" }),
    attempt: integer("attempt").notNull(),
    at: integer("at").notNull(),
    status: integer("status"),
    durationMs: integer("duration_ms").notNull(),
    responseExcerpt: text("response_excerpt"),
    error: text("error"),
  },
  (t) => [index("webhook_attempts_delivery").on(t.deliveryId)],
);

/** Hosts an admin allowed outgoing hooks to reach although they are private or loopback. */
export const webhookAllowedHosts = sqliteTable("webhook_allowed_hosts", {
  host: text("host").primaryKey(),
  createdAt: createdAt(),
});

/**
 * Blobs that no row referred to when garbage collection last looked, and since when: deleted
 * once unreferenced for a grace period. `deleting` while a pass removes one: a publish that
 * would point at it then waits and stores it again (src/gc/).
 */
export const blobGcMarks = sqliteTable("blob_gc_marks", {
  key: text("key").primaryKey(),
  markedAt: integer("marked_at").notNull(),
  size: integer("size").notNull().default(0),
  /** pending | deleting */
  state: text("state").notNull().default("pending"),
});

/** Attempt counters shared by every isolate and process (login and token-exchange throttling). */
export const attemptCounters = sqliteTable("attempt_counters", {
  key: text("key").primaryKey(),
  count: integer("count").notNull(),
  resetAt: integer("reset_at").notNull(),
});

/** Which CI identity may exchange its OIDC token for a short-lived upload token of one package. */
export const trustedPublishers = sqliteTable(
  "trusted_publishers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageName: text("package_name").notNull(),
    /** The token's `iss`, without a trailing slash; its metadata is read from `{issuer}/.well-known/openid-configuration`. */
    issuer: text("issuer").notNull(),
    audience: text("audience").notNull(),
    /** Claim name -> pattern (`*` matches any run of characters); every one must match. */
    claims: text("claims", { mode: "json" }).$type<Record<string, string>>().notNull(),
    /** Who declared the trust: the tokens it yields are theirs, narrowed to the package. */
    createdBy: integer("created_by").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [index("trusted_publishers_issuer").on(t.issuer)],
);

/** Sign-in through an OpenID Connect provider, configured by admins (or from the environment on first start). */
export const identityProviders = sqliteTable(
  "identity_providers",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** In URLs: /login/oidc/{slug}. */
    slug: text("slug").notNull(),
    name: text("name").notNull(),
    /** `oidc`: found by discovery at `{issuer}/.well-known/openid-configuration`; `github`: OAuth 2 + REST API at that base URL (github.com or Enterprise). */
    kind: text("kind").notNull().default("oidc"),
    issuer: text("issuer").notNull(),
    clientId: text("client_id").notNull(),
    /** Sealed with ENCRYPTION_KEY (credentials/secret-box.ts); never shown back. */
    clientSecretEnc: text("client_secret_enc").notNull(),
    scopes: text("scopes").notNull().default("openid email profile"),
    /** A first sign-in by an unknown identity creates a user only when set. */
    allowSignUp: integer("allow_sign_up", { mode: "boolean" }).notNull().default(false),
    /** Non-empty: only verified emails in these domains may sign in. */
    allowedDomains: text("allowed_domains", { mode: "json" }).$type<string[]>().notNull(),
    /** The claim that lists the identity's groups (e.g. `groups`). */
    groupsClaim: text("groups_claim").notNull().default("groups"),
    /** Non-empty: an identity in none of these groups is refused. */
    requiredGroups: text("required_groups", { mode: "json" }).$type<string[]>().notNull(),
    /** Group -> role; the highest mapped role wins, `defaultRole` when none maps. Applied at every sign-in. */
    roleMappings: text("role_mappings", { mode: "json" }).$type<{ group: string; role: string }[]>().notNull(),
    defaultRole: text("default_role").notNull().default("ROLE_USER"),
    /** Provider group -> Satchel group id; non-empty: the user's Satchel groups follow at every sign-in. */
    groupMappings: text("group_mappings", { mode: "json" }).$type<{ group: string; groupId: number }[]>().notNull().default(sql`'[]'`),
    /** A login restriction over the claims (src/identity/login-expression.ts), checked at save; null: none. */
    loginExpression: text("login_expression"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("identity_providers_slug").on(t.slug)],
);

/** A provider identity (its `sub`) linked to a Satchel user. */
export const identityLinks = sqliteTable(
  "identity_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    providerId: integer("provider_id").notNull().references(() => identityProviders.id, { onDelete: "cascade" }),
    subject: text("subject").notNull(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("identity_links_subject").on(t.providerId, t.subject), index("identity_links_user").on(t.userId)],
);

/** Mail waiting to be sent or sent: a failure is retried, and admins see the last error. */
export const mailOutbox = sqliteTable(
  "mail_outbox",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    recipient: text("recipient").notNull(),
    subject: text("subject").notNull(),
    body: text("body").notNull(),
    attempts: integer("attempts").notNull().default(0),
    nextAttemptAt: integer("next_attempt_at").notNull(),
    sentAt: integer("sent_at"),
    lastError: text("last_error"),
    createdAt: createdAt(),
  },
  (t) => [index("mail_outbox_due").on(t.sentAt, t.nextAttemptAt)],
);

/** Invitation and password-reset links: only a SHA-256 of the token is kept; each works once, until it expires. */
export const oneTimeLinks = sqliteTable(
  "one_time_links",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    tokenHash: text("token_hash").notNull(),
    /** `invite` | `reset` */
    purpose: text("purpose").notNull(),
    userId: integer("user_id").notNull().references(() => users.id, { onDelete: "cascade" }),
    expiresAt: integer("expires_at").notNull(),
    usedAt: integer("used_at"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("one_time_links_token").on(t.tokenHash)],
);

/**
 * A (locked package, version, advisory) found in a monitored repository's default-branch
 * composer.lock. Open while `resolvedAt` is null; reported (hook + mail) once per opening.
 */
export const securityAlerts = sqliteTable(
  "security_alerts",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    /** The monitored repository (integrations/security/package-access.ts's key). */
    repositoryKey: text("repository_key").notNull(),
    /** Shown on the page: owner/name at the provider. */
    repositoryName: text("repository_name").notNull(),
    /** The Satchel package monitored, when the repository is one. */
    packageId: integer("package_id").references(() => packages.id, { onDelete: "cascade" }),
    lockedPackage: text("locked_package").notNull(),
    version: text("version").notNull(),
    advisoryId: text("advisory_id").notNull(),
    title: text("title").notNull(),
    link: text("link"),
    cve: text("cve"),
    severity: text("severity"),
    affectedVersions: text("affected_versions").notNull(),
    raisedAt: integer("raised_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [uniqueIndex("security_alerts_one").on(t.repositoryKey, t.lockedPackage, t.version, t.advisoryId), index("security_alerts_open").on(t.resolvedAt, t.repositoryKey)],
);

/**
 * An organization (GitHub org, GitLab group, Gitea org, Bitbucket workspace) connected to Satchel.
 * Its token lives in `credentials` (the git worker clones with it); a GitHub App's private key
 * and its current installation token are sealed here.
 */
export const integrations = sqliteTable("integrations", {
  id: integer("id").primaryKey({ autoIncrement: true }),
  /** github | gitlab | gitea | bitbucket */
  provider: text("provider").notNull(),
  /** The provider's REST API root (GHE's /api/v3, a self-managed GitLab's /api/v4, ...). */
  apiUrl: text("api_url").notNull(),
  organization: text("organization").notNull(),
  credentialsId: integer("credentials_id").references(() => credentials.id, { onDelete: "set null" }),
  appId: text("app_id"),
  installationId: text("installation_id"),
  appKeyEnc: text("app_key_enc"),
  /** When the installation token in the credential expires (unix ms). */
  appTokenExpiresAt: integer("app_token_expires_at"),
  /** Sealed secret the organization hook signs deliveries with. */
  hookSecretEnc: text("hook_secret_enc").notNull(),
  /** The provider's id of the organization hook Satchel installed, if any. */
  hookId: text("hook_id"),
  /** Whether Satchel installs webhooks (per repository where the provider has no organization hook). */
  webhooks: integer("webhooks", { mode: "boolean" }).notNull().default(true),
  autoSync: integer("auto_sync", { mode: "boolean" }).notNull().default(false),
  teamSync: integer("team_sync", { mode: "boolean" }).notNull().default(false),
  /** Where a sync run stopped: the next page to read (null: start a new run), and when to resume. */
  syncCursor: text("sync_cursor"),
  syncRun: integer("sync_run").notNull().default(0),
  syncResumeAt: integer("sync_resume_at"),
  syncState: text("sync_state").notNull().default("idle"),
  syncError: text("sync_error"),
  syncedAt: integer("synced_at"),
  /** When team memberships were last read from the provider (team sync). */
  teamsSyncedAt: integer("teams_synced_at"),
  createdAt: createdAt(),
});

/** The organization's repositories as the last sync saw them, keyed by the provider's stable id. */
export const integrationRepositories = sqliteTable(
  "integration_repositories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    integrationId: integer("integration_id").notNull().references(() => integrations.id, { onDelete: "cascade" }),
    providerId: text("provider_id").notNull(),
    fullName: text("full_name").notNull(),
    cloneUrl: text("clone_url").notNull(),
    defaultBranch: text("default_branch").notNull(),
    archived: integer("archived", { mode: "boolean" }).notNull().default(false),
    /** null: not checked yet in this run; then whether composer.json is on the default branch. */
    hasComposer: integer("has_composer", { mode: "boolean" }),
    /** The sync run that last listed it: older after a complete run means deleted or transferred away. */
    seenRun: integer("seen_run").notNull(),
    /** The repository URL the package was created with (packages follow the provider id through renames). */
    packageRepository: text("package_repository"),
    /** A per-repository hook Satchel installed (GitLab without group hooks). */
    hookId: text("hook_id"),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("integration_repositories_provider_id").on(t.integrationId, t.providerId)],
);

/** ETags of provider answers, so a re-sync reads unchanged pages as 304s (free of rate limit on GitHub). */
export const integrationEtags = sqliteTable(
  "integration_etags",
  {
    integrationId: integer("integration_id").notNull().references(() => integrations.id, { onDelete: "cascade" }),
    url: text("url").notNull(),
    etag: text("etag").notNull(),
    /** The answer's body, as compact JSON, and its next-page URL. */
    body: text("body").notNull(),
    next: text("next"),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.url] })],
);

/** Team sync: members of a provider team (GitHub team slug, GitLab subgroup path) belong to a Satchel group. */
export const integrationTeams = sqliteTable(
  "integration_teams",
  {
    integrationId: integer("integration_id").notNull().references(() => integrations.id, { onDelete: "cascade" }),
    team: text("team").notNull(),
    groupId: integer("group_id").notNull().references(() => groups.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.integrationId, t.team, t.groupId] })],
);

/**
 * Sub-repositories: their own Composer URL (`/sub/{slug}`, or their own hostname) serving a
 * subset of the private packages, each caller further narrowed by their grants.
 */
export const subrepositories = sqliteTable(
  "subrepositories",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    name: text("name").notNull(),
    slug: text("slug").notNull(),
    /** `vendor/name` or `vendor/*` patterns; names of packages that do not exist yet are kept. */
    packages: text("packages", { mode: "json" }).$type<string[]>().notNull(),
    /** Served without credentials, like a public Satis. */
    isPublic: integer("is_public", { mode: "boolean" }).notNull().default(false),
    /** Lowercase DNS name whose requests are served as this sub-repository at the root. */
    hostname: text("hostname"),
    createdAt: createdAt(),
    /** Bumped from the change clock on every change: part of its documents' Last-Modified. */
    changedClock: integer("changed_clock").notNull().default(0),
  },
  (t) => [uniqueIndex("subrepositories_slug").on(t.slug), uniqueIndex("subrepositories_hostname").on(t.hostname)],
);

/** Versions flagged as malware or compromised: left out of p2 for everyone, their dists answer 410. */
export const versionFlags = sqliteTable(
  "version_flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageId: integer("package_id").notNull().references(() => packages.id, { onDelete: "cascade" }),
    versionNormalized: text("version_normalized").notNull(),
    /** `malware` | `compromised` */
    kind: text("kind").notNull(),
    reason: text("reason").notNull(),
    /** Who flagged it (a username; `upstream` for a flag read from an upstream's own data). */
    flaggedBy: text("flagged_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("version_flags_package_version").on(t.packageId, t.versionNormalized)],
);

/** Flags on versions of proxied (upstream) packages: keyed by name, as they have no package row. */
export const upstreamVersionFlags = sqliteTable(
  "upstream_version_flags",
  {
    id: integer("id").primaryKey({ autoIncrement: true }),
    packageName: text("package_name").notNull(),
    versionNormalized: text("version_normalized").notNull(),
    /** The version as the upstream names it (the `filter` entry's constraint). */
    version: text("version").notNull(),
    /** `malware` | `compromised` */
    kind: text("kind").notNull(),
    reason: text("reason").notNull(),
    flaggedBy: text("flagged_by").notNull(),
    createdAt: createdAt(),
  },
  (t) => [uniqueIndex("upstream_version_flags_name_version").on(t.packageName, t.versionNormalized)],
);
