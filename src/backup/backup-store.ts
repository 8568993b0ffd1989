// The one place the backup reads and the restore writes tables: every table the archive
// carries, in foreign-key order, as SQL column names and driver values (the same on D1 and
// libSQL), read in one batch (one consistent snapshot while writes go on).
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import * as schema from "../db/schema.ts";
import { tickClock, touchCatalog } from "../db/clock.ts";
import type { BatchStatement, Database } from "../ports.ts";
import { OPERATION_LEASE_KEY } from "./operation-lease-store.ts";
import { rowUpgradesFor, type ArchivedRow } from "./schema-version.ts";

/**
 * Parents before children. Left out as state of the moment, not data: attempt_counters (sign-in
 * throttling, upload claims), blob_gc_marks, mail_outbox and one_time_links (invitation and
 * reset links: a restored instance sends new ones).
 */
const TABLES: SQLiteTable[] = [
  schema.meta,
  schema.users,
  schema.groups,
  schema.groupGrants,
  schema.userGroups,
  schema.tokens,
  schema.recoveryCodes,
  schema.credentials,
  schema.packages,
  schema.versions,
  schema.customVersions,
  schema.versionPatches,
  schema.jobs,
  schema.downloads,
  schema.auditLog,
  schema.upstreams,
  schema.upstreamApprovals,
  schema.mirrorDocuments,
  schema.mirrorDists,
  schema.proxyAccessGroups,
  schema.securityAdvisories,
  schema.webhookSecrets,
  schema.webhookReceipts,
  schema.providerHooks,
  schema.webhooks,
  schema.webhookDeliveries,
  schema.webhookAttempts,
  schema.webhookAllowedHosts,
  schema.trustedPublishers,
  schema.identityProviders,
  schema.identityLinks,
  schema.securityAlerts,
  schema.integrations,
  schema.integrationRepositories,
  schema.integrationEtags,
  schema.integrationTeams,
  schema.subrepositories,
  schema.versionFlags,
  schema.upstreamVersionFlags,
];

export interface TableSnapshot {
  table: string;
  columns: string[];
  rows: unknown[][];
}

const columnsOf = (table: SQLiteTable) => Object.entries(getTableColumns(table)) as [string, SQLiteColumn][];

/** The backup's own lease is not data: a restored copy of it would block the new instance. */
const isTransient = (tableName: string, row: Record<string, unknown>) => tableName === "meta" && (row.key === OPERATION_LEASE_KEY || row.key === "restore_guard");

/** Every archived table's rows, read atomically. */
export async function readSnapshot(db: Database): Promise<TableSnapshot[]> {
  const reads = TABLES.map((table) => db.orm.select().from(table));
  const results = (await db.batch(reads as unknown as [BatchStatement, ...BatchStatement[]])) as Record<string, unknown>[][];
  return TABLES.map((table, i) => {
    const columns = columnsOf(table);
    return {
      table: getTableName(table),
      columns: columns.map(([, column]) => column.name),
      rows: results[i]!.filter((row) => !isTransient(getTableName(table), row)).map((row) => columns.map(([key, column]) => (row[key] === null || row[key] === undefined ? null : column.mapToDriverValue(row[key])))),
    };
  });
}

/** An instance a backup may be restored into: no packages, and no user but the first admin. */
export async function isEmptyInstance(db: Database): Promise<boolean> {
  const row = await db.orm.get<{ packages: number; users: number }>(sql`select (select count(*) from packages) as packages, (select count(*) from users) as users`);
  return Number(row.packages) === 0 && Number(row.users) <= 1;
}

/** Rows of one archived table as this schema takes them: unknown tables and dropped columns are left out. */
export interface RestorableTable {
  table: SQLiteTable;
  rows: Record<string, unknown>[];
}

export function toRestorable(tableName: string, columnNames: string[], rows: unknown[][], fromSchemaIndex: number): RestorableTable | null {
  const table = TABLES.find((candidate) => getTableName(candidate) === tableName);
  if (!table) return null;
  const bySqlName = new Map(columnsOf(table).map(([key, column]) => [column.name, { key, column }]));
  const upgrades = rowUpgradesFor(tableName, fromSchemaIndex);
  return {
    table,
    rows: rows.flatMap((values) => {
      const archived: ArchivedRow = {};
      columnNames.forEach((name, i) => (archived[name] = values[i]));
      if (isTransient(tableName, archived)) return [];
      for (const upgrade of upgrades) upgrade(archived);
      const row: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(archived)) {
        const target = bySqlName.get(name);
        if (target) row[target.key] = value === null ? null : target.column.mapFromDriverValue(value);
      }
      return [row];
    }),
  };
}

// D1 binds at most 100 parameters per statement.
const MAX_PARAMETERS = 100;

/**
 * One atomic batch: refuse if the instance stopped being empty, clear what the first start
 * created (the bootstrap admin, seeds), insert the archive's rows, and move the change clock past
 * both instances' clocks so no Last-Modified goes backwards.
 */
export function restoreStatements(db: Database, tables: RestorableTable[], nowMs: number): [BatchStatement, ...BatchStatement[]] {
  // A NOT NULL violation aborts the batch when someone created data since the emptiness check.
  const guard = db.orm.run(
    sql`insert into meta (key, value) select 'restore_guard', null where (select count(*) from packages) > 0 or (select count(*) from users) > 1`,
  );
  const clears = [...TABLES].reverse().map((table) => db.orm.delete(table));
  const inserts: BatchStatement[] = [];
  const ordered = [...tables].sort((a, b) => TABLES.indexOf(a.table) - TABLES.indexOf(b.table));
  for (const { table, rows } of ordered) {
    const perStatement = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, columnsOf(table).length)));
    for (let i = 0; i < rows.length; i += perStatement) inserts.push(db.orm.insert(table).values(rows.slice(i, i + perStatement)));
  }
  return [guard, ...clears, ...inserts, tickClock(db, nowMs), touchCatalog(db)];
}
