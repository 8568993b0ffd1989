// The ENCRYPTION_KEY rotation job: every sealed column, re-sealed under the current key, a
// batch at a time. Resumable by construction: it picks only values not yet under the current
// key's id, and writes each back only if nobody changed it meanwhile.
import { sql } from "drizzle-orm";
import type { Services } from "../services.ts";
import { SecretBox } from "./secret-box.ts";

/** [table, column] of every value sealed with SecretBox. */
const SEALED_COLUMNS: [string, string][] = [
  ["credentials", "secret_enc"],
  ["upstreams", "password_enc"],
  ["upstreams", "bearer_enc"],
  ["webhooks", "secret_enc"],
  ["webhook_secrets", "secret_enc"],
  ["users", "totp_secret_enc"],
  ["integrations", "hook_secret_enc"],
  ["integrations", "app_key_enc"],
];

export interface ReencryptReport {
  reencrypted: number;
  /** Values still under another key (or the pre-key-id format) after this batch. */
  remaining: number;
  /** Values no configured key opens: left as they are, and counted in `remaining`. */
  unreadable: number;
}

type ReencryptServices = Pick<Services, "db" | "config">;

const notUnder = (column: string, prefix: string) => sql`${sql.identifier(column)} is not null and ${sql.identifier(column)} not like ${`${prefix}%`}`;

export async function reencryptSecrets(services: ReencryptServices, limit = 200): Promise<ReencryptReport> {
  const box = new SecretBox(services.config);
  const prefix = `v2.${await box.currentKeyId()}.`;
  const report: ReencryptReport = { reencrypted: 0, remaining: 0, unreadable: 0 };
  for (const [table, column] of SEALED_COLUMNS) {
    if (report.reencrypted + report.unreadable >= limit) break;
    const rows = await services.db.orm.all<{ id: number; value: string }>(
      sql`select id, ${sql.identifier(column)} as value from ${sql.identifier(table)} where ${notUnder(column, prefix)} order by id limit ${limit - report.reencrypted - report.unreadable}`,
    );
    for (const row of rows) {
      let resealed: string;
      try {
        resealed = await box.seal(await box.open(row.value));
      } catch {
        report.unreadable++;
        continue;
      }
      // Compare-and-set: a secret replaced meanwhile is already under the current key.
      await services.db.orm.run(sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${resealed} where id = ${row.id} and ${sql.identifier(column)} = ${row.value}`);
      report.reencrypted++;
    }
  }
  report.remaining = await remainingUnderOtherKeys(services, prefix);
  return report;
}

export async function sealedUnderOtherKeys(services: ReencryptServices): Promise<number> {
  return remainingUnderOtherKeys(services, `v2.${await new SecretBox(services.config).currentKeyId()}.`);
}

async function remainingUnderOtherKeys(services: ReencryptServices, prefix: string): Promise<number> {
  let total = 0;
  for (const [table, column] of SEALED_COLUMNS) {
    const [row] = await services.db.orm.all<{ n: number }>(sql`select count(*) as n from ${sql.identifier(table)} where ${notUnder(column, prefix)}`);
    total += Number(row?.n ?? 0);
  }
  return total;
}
