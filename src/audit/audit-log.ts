// The audit log: every admin action (pages and API alike) with who, what, when and from where.
import type { MiddlewareHandler } from "hono";
import { clientIp, type AppContext, type AppEnv } from "../http/context.ts";
import type { Services } from "../services.ts";
import { appendAudit } from "./audit-store.ts";
import { writesPackages } from "../auth/package-write.ts";

export interface AuditEntry {
  actor: { userId: number; username: string } | null;
  action: string;
  target?: string | null;
  details?: Record<string, unknown> | null;
  ip?: string | null;
}

export async function recordAudit(services: Services, entry: AuditEntry): Promise<void> {
  await appendAudit(services.db, {
    at: services.now(),
    actorId: entry.actor?.userId ?? null,
    actorName: entry.actor?.username ?? "(anonymous)",
    action: entry.action.slice(0, 100),
    target: entry.target?.slice(0, 300) ?? null,
    details: entry.details ?? null,
    ip: entry.ip?.slice(0, 100) ?? null,
  });
}

/** Records an action taken through a page by the signed-in user. */
export function auditFrom(c: Pick<AppContext, "get" | "req" | "env">, actor: { userId: number; username: string }, action: string, target?: string | null, details?: Record<string, unknown>) {
  return recordAudit(c.get("services"), { actor, action, target, details, ip: clientIp(c) });
}

/**
 * Successful writes to the REST API by admins and maintainers (method + path), recorded after
 * the response is built. Secrets never reach the log: only the path and the status are kept.
 */
export const auditApiWrites = (): MiddlewareHandler<AppEnv> =>
  async function auditApiWrites(c, next) {
    await next();
    const principal = c.get("principal");
    const method = c.req.method;
    if (!principal || method === "GET" || method === "HEAD" || c.res.status >= 400) return;
    if (!principal.scopes.includes("admin") && !writesPackages(principal)) return;
    const path = new URL(c.req.url).pathname;
    const services = c.get("services");
    // The write is done: a failure to log it must not tell the client it failed (its retry would
    // then meet a 409), so it goes to the error log instead.
    await recordAudit(services, {
      actor: principal,
      action: `api ${method}`,
      target: path,
      details: { status: c.res.status, via: principal.tokenId === undefined ? "session" : `token ${principal.tokenId}` },
      ip: clientIp(c),
    }).catch((error: unknown) => services.log.error("audit entry not recorded", { action: `api ${method}`, target: path, error: String(error) }));
  };
