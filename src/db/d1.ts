// The Cloudflare DB port: drizzle over D1. Migrations are applied by wrangler.
import { drizzle } from "drizzle-orm/d1";
import { meterLogger, QueryMeter, recordBatch } from "./query-meter.ts";
import * as schema from "./schema.ts";
import type { Database, Orm } from "../ports.ts";

export function d1Database(binding: D1Database): Database {
  const meter = new QueryMeter();
  const orm = drizzle(binding, { schema, logger: meterLogger(meter) });
  return {
    orm: orm as unknown as Orm,
    meter,
    batch: (statements) => {
      recordBatch(meter, statements);
      return orm.batch(statements as Parameters<typeof orm.batch>[0]);
    },
  };
}
