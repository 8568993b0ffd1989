// /api/policies: the Composer plugin allowlist and the minimum Composer client version (admins).
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import type { AppEnv } from "../http/context.ts";
import { readJsonObject } from "../http/json-body.ts";
import { readPolicies } from "./policy-store.ts";
import { readPolicyInput } from "./policy-input.ts";
import { applyPolicies } from "./apply-policies.ts";

export function policyRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/policies", requireScope("admin"));

  api.get("/policies", async (c) => c.json(await readPolicies(c.get("services").db)));

  api.put("/policies", async (c) => {
    const services = c.get("services");
    const current = await readPolicies(services.db);
    const next = readPolicyInput(await readJsonObject(c), current);
    await applyPolicies(services, current, next);
    return c.json(next);
  });

  return api;
}
