// The Node DB port: drizzle over a libSQL file (or a Turso URL), migrations from migrations/.
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import { meterLogger, QueryMeter, recordBatch } from "./query-meter.ts";
import * as schema from "./schema.ts";
import type { Database, Orm } from "../ports.ts";

export async function openLibsqlDatabase(url: string, migrationsFolder: string): Promise<Database & { close(): void }> {
  // Every pooled connection waits for another process's write lock (several servers or a backup
  // on one file) instead of failing with SQLITE_BUSY; a PRAGMA would set only one of them.
  const client = createClient({ url, timeout: 5000 });
  // WAL lets the API read while a publish writes; foreign keys give us cascading deletes like D1.
  if (url.startsWith("file:")) {
    await client.execute("PRAGMA journal_mode = WAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const meter = new QueryMeter();
  const orm = drizzle(client, { schema, logger: meterLogger(meter) });
  await migrate(orm, { migrationsFolder });
  meter.take();
  return {
    orm: orm as unknown as Orm,
    meter,
    batch: (statements) => {
      recordBatch(meter, statements);
      return orm.batch(statements as Parameters<typeof orm.batch>[0]);
    },
    close: () => client.close(),
  };
}
