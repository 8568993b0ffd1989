// The first admin: from ADMIN_USER / ADMIN_PASSWORD (Packeton's Docker variables) before the app
// answers its first request, or, without them, through a one-time setup link printed once.
import { eq, sql } from "drizzle-orm";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { sha256Hex } from "../crypto/digest.ts";
import { meta, users } from "../db/schema.ts";
import type { Services } from "../services.ts";
import { saveUser } from "./routes.ts";

export async function adminExists(services: Services): Promise<boolean> {
  const row = await services.db.orm.select({ id: users.id }).from(users).where(sql`${users.roles} like '%"ROLE_ADMIN"%'`).limit(1).get();
  return row !== undefined;
}

export async function ensureAdmin(services: Services): Promise<void> {
  if (await adminExists(services)) return;
  const { adminUser, adminPassword, adminEmail } = services.config;
  if (adminUser && adminPassword) {
    const existing = await services.db.orm.select({ id: users.id }).from(users).where(sql`lower(${users.username}) = ${adminUser.toLowerCase()}`).get();
    await saveUser(services, existing?.id ?? null, { username: adminUser, password: adminPassword, email: adminEmail ?? null, roles: ["ROLE_ADMIN"] });
    services.log.info("created the admin user from ADMIN_USER", { username: adminUser });
    return;
  }
  const token = crypto.randomUUID().replaceAll("-", "");
  await services.db.orm
    .insert(meta)
    .values({ key: "setup_token", value: await sha256Hex(token) })
    .onConflictDoUpdate({ target: meta.key, set: { value: await sha256Hex(token) } });
  const base = services.config.publicUrl ?? services.config.listenUrl ?? "";
  // Printed once, for the operator at the console: the link creates the first admin.
  // console.warn: wrangler dev (npm start) shows warnings at its quiet log level.
  console.warn(`\n  No admin user exists. Open this one-time link to create one:\n  ${base}/setup?token=${token}\n`);
}

export async function checkSetupToken(services: Services, token: string): Promise<boolean> {
  const row = await services.db.orm.select().from(meta).where(eq(meta.key, "setup_token")).get();
  if (!row || !token) return false;
  return constantTimeEqual(await sha256Hex(token), row.value);
}

export async function consumeSetupToken(services: Services): Promise<void> {
  await services.db.orm.delete(meta).where(eq(meta.key, "setup_token"));
}
