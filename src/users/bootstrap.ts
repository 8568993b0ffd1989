// The first admin: from ADMIN_USER / ADMIN_PASSWORD (Packeton's Docker variables) before the app
// answers its first request, or, without them, through a one-time setup link printed once.
import { constantTimeEqual } from "../crypto/constant-time.ts";
import { sha256Hex } from "../crypto/digest.ts";
import type { Services } from "../services.ts";
import { adminExists, deleteSetupToken, saveSetupTokenHash, saveUser, setupTokenHash, findUserByName } from "./user-store.ts";

export async function ensureAdmin(services: Services): Promise<void> {
  if (await adminExists(services.db)) return;
  const { adminUser, adminPassword, adminEmail } = services.config;
  if (adminUser && adminPassword) {
    await saveUser(services, (await findUserByName(services.db, adminUser))?.id ?? null, { username: adminUser, password: adminPassword, email: adminEmail ?? null, roles: ["ROLE_ADMIN"] });
    services.log.info("created the admin user from ADMIN_USER", { username: adminUser });
    return;
  }
  if (services.config.issuesSetupLink === false) return;
  const token = crypto.randomUUID().replaceAll("-", "");
  await saveSetupTokenHash(services.db, await sha256Hex(token));
  const base = services.config.publicUrl ?? services.config.listenUrl ?? "";
  // Printed once, for the operator at the console: the link creates the first admin.
  // console.warn: wrangler dev (npm start) shows warnings at its quiet log level.
  console.warn(`\n  No admin user exists. Open this one-time link to create one:\n  ${base}/setup?token=${token}\n`);
}

export async function checkSetupToken(services: Services, token: string): Promise<boolean> {
  const stored = await setupTokenHash(services.db);
  if (!stored || !token) return false;
  return constantTimeEqual(await sha256Hex(token), stored);
}

export async function consumeSetupToken(services: Services): Promise<void> {
  await deleteSetupToken(services.db);
}
