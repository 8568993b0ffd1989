// Which schema an archive's rows were written under, and what the migrations after it did to
// data (beyond adding tables and defaulted columns, which restoring column by column covers).
/** migrations/meta/_journal.json's tags, oldest first (schema-version.test.ts keeps them equal). */
export const MIGRATIONS = [
  "0000_init",
  "0001_admin_pages",
  "0002_job_coalescing",
  "0003_upstreams",
  "0004_webhooks",
  "0005_package_readme",
  "0006_trust",
  "0007_operations",
  "0008_identity",
  "0009_custom_packages",
  "0010_lock_review_security_alerts",
  "0011_integrations",
  "0012_identity_rules_advisory_mail",
  "0013_subrepositories",
  "0014_policies",
  "0015_upstream_version_flags",
] as const;

export const CURRENT_SCHEMA = MIGRATIONS[MIGRATIONS.length - 1]!;

/** A row as an archive holds it: SQL column names to driver values. */
export type ArchivedRow = Record<string, unknown>;

interface RowUpgrade {
  /** Applied to rows of archives written before this migration. */
  migration: (typeof MIGRATIONS)[number];
  table: string;
  upgrade(row: ArchivedRow): void;
}

// The data half of each migration, replayed on rows from archives that predate it.
const ROW_UPGRADES: RowUpgrade[] = [
  {
    // 0006_trust: `UPDATE tokens SET kind = 'session' WHERE name = 'browser session'`.
    migration: "0006_trust",
    table: "tokens",
    upgrade(row) {
      if (row.name === "browser session") row.kind = "session";
    },
  },
  {
    // 0012: `UPDATE security_advisories SET notified_at = created_at` (older advisories count as told).
    migration: "0012_identity_rules_advisory_mail",
    table: "security_advisories",
    upgrade(row) {
      row.notified_at ??= row.created_at;
    },
  },
];

/** The position of `schema` among known migrations; -1 when this Satchel does not know it (a newer archive). */
export const schemaIndex = (schema: string) => (MIGRATIONS as readonly string[]).indexOf(schema);

/** The upgrades for rows of `table` from an archive written at migration `fromIndex`. */
export function rowUpgradesFor(table: string, fromIndex: number): ((row: ArchivedRow) => void)[] {
  return ROW_UPGRADES.filter((step) => step.table === table && schemaIndex(step.migration) > fromIndex).map((step) => step.upgrade);
}
