// The database port: drizzle over D1 or libSQL, counted (query-meter.ts). Only stores, this
// folder and migrations know the schema; everything else sees this handle through a store.
import type { BatchItem } from "drizzle-orm/batch";
import type { BaseSQLiteDatabase } from "drizzle-orm/sqlite-core";
import type { QueryMeter } from "./query-meter.ts";
import type * as schema from "./schema.ts";

export type Orm = BaseSQLiteDatabase<"async", unknown, typeof schema>;
export type BatchStatement = BatchItem<"sqlite">;

export interface Database {
  orm: Orm;
  /** Counts every statement run through this handle (query-budget tests read it). */
  meter: QueryMeter;
  /** Runs the statements atomically, in order (D1 batch / libSQL transaction). */
  batch(statements: [BatchStatement, ...BatchStatement[]]): Promise<readonly unknown[]>;
}
