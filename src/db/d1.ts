// The Cloudflare DB port: drizzle over D1. Migrations are applied by wrangler.
import { drizzle } from "drizzle-orm/d1";
import * as schema from "./schema.ts";
import type { Database, Orm } from "../ports.ts";

export function d1Database(binding: D1Database): Database {
  const orm = drizzle(binding, { schema });
  return {
    orm: orm as unknown as Orm,
    batch: (statements) => orm.batch(statements as Parameters<typeof orm.batch>[0]),
  };
}
