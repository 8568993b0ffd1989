// GET /api/security-alerts (admin): the current alerts of monitored repositories, as the
// admin page shows them.
import { Hono } from "hono";
import { requireScope } from "../../auth/middleware.ts";
import { alertView } from "./alert-notifications.ts";
import type { AppEnv } from "../../http/context.ts";
import { openAlerts } from "./security-alert-store.ts";

export function securityAlertRoutes() {
  const api = new Hono<AppEnv>();
  api.get("/security-alerts", requireScope("admin"), async (c) => {
    const rows = await openAlerts(c.get("services").db);
    return c.json({
      alerts: rows.map((row) => ({ repository: row.repositoryName, ...alertView(row), raisedAt: new Date(row.raisedAt).toISOString() })),
    });
  });
  return api;
}
