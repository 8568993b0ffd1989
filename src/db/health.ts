// The health check's round trip to the database.
import { sql } from "drizzle-orm";
import type { Database } from "./database.ts";

export async function pingDatabase(db: Database): Promise<void> {
  await db.orm.run(sql`select 1`);
}
