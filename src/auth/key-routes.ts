// GET /api/keys (admin): the keys in use, by fingerprint only, for key rotation.
import { Hono } from "hono";
import type { AppEnv } from "../http/context.ts";
import { keysInUse } from "./key-usage.ts";
import { requireScope } from "./middleware.ts";

export function keyRoutes() {
  const api = new Hono<AppEnv>();
  api.get("/keys", requireScope("admin"), async (c) => c.json(await keysInUse(c.get("services"))));
  return api;
}
