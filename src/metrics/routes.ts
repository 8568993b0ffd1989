// GET /metrics: Prometheus text, for an admin's API token or the separate metrics token
// (SATCHEL_METRICS_TOKEN, compared in constant time). Anyone else gets a 401.
import type { Handler } from "hono";
import { checkApiToken } from "../auth/api-tokens.ts";
import { constantTimeEqual } from "../crypto/constant-time.ts";
import type { AppEnv } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { metricsText } from "./exposition.ts";

export const serveMetrics: Handler<AppEnv> = async (c) => {
  const services = c.get("services");
  const header = c.req.header("authorization") ?? "";
  const token = header.startsWith("Bearer ") ? header.slice(7).trim() : "";
  const metricsToken = services.config.metricsToken;
  const allowed =
    token !== "" &&
    ((metricsToken !== undefined && constantTimeEqual(token, metricsToken)) ||
      (await checkApiToken(services, token).then((check) => check.ok && check.principal.scopes.includes("admin"))));
  if (!allowed) throw new AppError(401, "unauthorized", "GET /metrics takes an admin API token or the metrics token, as a Bearer token.");
  return c.body(await metricsText(services), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
};
