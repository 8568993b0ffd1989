// GET /api/keys (admin): the keys in use, by fingerprint only, for key rotation.
import { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";
import { reencryptSecrets } from "../credentials/sealed-secret-store.ts";
import { keysInUse } from "./key-usage-store.ts";
import { requireScope } from "./middleware.ts";

export function keyRoutes() {
  const api = new Hono<AppEnv>();
  api.get("/keys", requireScope("admin"), async (c) => c.json(await keysInUse(c.get("services"))));
  // One batch of the ENCRYPTION_KEY rotation now (the scheduled pass runs it too); call again while `remaining` > 0.
  api.post("/keys/reencrypt", requireScope("admin"), async (c) => c.json(await reencryptSecrets(c.get("services"), 500)));
  return api;
}
