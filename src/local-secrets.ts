// Both local modes generate JWT_SECRET, ENCRYPTION_KEY and WORKER_TOKEN on first start and keep
// them in the data folder (mode 0600); values given in the environment win.
import { randomBytes } from "node:crypto";
import { chmod, mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { EnvVars } from "./config.ts";

export interface LocalSecrets {
  jwtSecret: string;
  encryptionKey: string;
  workerToken: string;
}

/** `SATCHEL_DATA_DIR`, else `.data` in the project: where both local modes keep everything. */
export function localDataDir(env: EnvVars, projectRoot: string): string {
  return path.resolve(env.SATCHEL_DATA_DIR || path.join(projectRoot, ".data"));
}

/** The data folder holds the database, blobs, state and secrets: only its owner may enter it. */
export async function createPrivateDataDir(dataDir: string): Promise<void> {
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  await chmod(dataDir, 0o700);
}

export async function loadLocalSecrets(dataDir: string, env: EnvVars): Promise<LocalSecrets> {
  const file = path.join(dataDir, "secrets.json");
  let stored: Partial<LocalSecrets> = {};
  try {
    stored = JSON.parse(await readFile(file, "utf8")) as Partial<LocalSecrets>;
  } catch {
    // First start: nothing stored yet.
  }
  const generated: LocalSecrets = {
    jwtSecret: stored.jwtSecret ?? randomBytes(32).toString("base64url"),
    encryptionKey: stored.encryptionKey ?? randomBytes(32).toString("base64url"),
    workerToken: stored.workerToken ?? randomBytes(32).toString("base64url"),
  };
  if (!stored.jwtSecret || !stored.encryptionKey || !stored.workerToken) {
    await mkdir(dataDir, { recursive: true });
    await writeFile(file, JSON.stringify(generated, null, 2), { mode: 0o600 });
    await chmod(file, 0o600);
  }
  return {
    jwtSecret: env.JWT_SECRET || generated.jwtSecret,
    encryptionKey: env.ENCRYPTION_KEY || generated.encryptionKey,
    workerToken: env.WORKER_TOKEN || generated.workerToken,
  };
}
