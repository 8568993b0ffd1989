// The Node DB port: drizzle over a libSQL file (or a Turso URL), migrations from migrations/.
import { createClient } from "@libsql/client";
import { drizzle } from "drizzle-orm/libsql";
import { migrate } from "drizzle-orm/libsql/migrator";
import * as schema from "./schema.ts";
import type { Database, Orm } from "../ports.ts";

export async function openLibsqlDatabase(url: string, migrationsFolder: string): Promise<Database & { close(): void }> {
  // Every pooled connection waits for another process's write lock (npm run serve runs one
  // process per core) instead of failing with SQLITE_BUSY; a PRAGMA would set only one of them.
  const client = createClient({ url, timeout: 5000 });
  // WAL lets the API read while a publish writes; foreign keys give us cascading deletes like D1.
  if (url.startsWith("file:")) {
    await client.execute("PRAGMA journal_mode = WAL");
  }
  await client.execute("PRAGMA foreign_keys = ON");
  const orm = drizzle(client, { schema });
  await migrate(orm, { migrationsFolder });
  return {
    orm: orm as unknown as Orm,
    batch: (statements) => orm.batch(statements as Parameters<typeof orm.batch>[0]),
    close: () => client.close(),
  };
}
