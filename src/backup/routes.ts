// GET /api/backup and POST /api/restore (admin): the archive in src/backup/archive-format.ts,
// the same on Workers and on Node, so data moves between `npm start` and `npm run serve`.
import { Hono } from "hono";
import { requireScope } from "../auth/middleware.ts";
import { recordAudit } from "../audit/audit-log.ts";
import { clientIp, type AppEnv } from "../http/context.ts";
import { AppError, badRequest, conflict } from "../http/errors.ts";
import { ARCHIVE_CONTENT_TYPE } from "./archive-format.ts";
import { restoreBackup } from "./restore-backup.ts";
import { startBackup } from "./write-backup.ts";

const busy = () => new AppError(429, "operation_running", "A backup or restore is already running. Try again when it has finished.");
const RESTORE_TYPES = new Set(["application/octet-stream", ARCHIVE_CONTENT_TYPE]);

export function backupRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/backup", requireScope("admin"));
  api.use("/restore", requireScope("admin"));

  api.get("/backup", async (c) => {
    const services = c.get("services");
    const stream = await startBackup(services);
    if (!stream) throw busy();
    // A backup carries every row: who took one is recorded (GETs are not audited otherwise).
    const principal = c.get("principal");
    await recordAudit(services, { actor: principal ?? null, action: "backup", target: "/api/backup", ip: clientIp(c) }).catch(async (error: unknown) => {
      await stream.cancel(); // releases the lease
      throw error;
    });
    const day = new Date(services.now()).toISOString().slice(0, 10);
    return new Response(stream, {
      headers: {
        "content-type": ARCHIVE_CONTENT_TYPE,
        "content-disposition": `attachment; filename="satchel-${day}.satchel-backup"`,
        "cache-control": "no-store",
      },
    });
  });

  api.post("/restore", async (c) => {
    const services = c.get("services");
    const type = (c.req.header("content-type") ?? "").split(";")[0]!.trim().toLowerCase();
    if (!RESTORE_TYPES.has(type)) throw new AppError(415, "unsupported_media_type", "Send the archive from GET /api/backup as the raw body, with Content-Type: application/octet-stream.");
    const body = c.req.raw.body;
    if (!body) throw badRequest("The request has no body: send the archive from GET /api/backup.");
    const proxy = services.upstreams.config;
    const outcome = await restoreBackup(services, body, {
      // The largest blob any path stores: an upload, a mirrored dist or a p2 document.
      maxBlobBytes: Math.max(services.config.maxUploadBytes, proxy.maxDistBytes, proxy.maxMetadataBytes) * 2,
      maxLineBytes: 16 * 1024 * 1024,
    });
    if (!outcome.ok) {
      if (outcome.reason === "busy") throw busy();
      if (outcome.reason === "not_empty") throw conflict("Restore only goes into an empty instance: no packages, and no user but the first admin.", "not_empty");
      throw new AppError(422, "invalid_archive", `Nothing was restored. ${outcome.message}`);
    }
    services.forgetAccess();
    services.catalog.invalidate();
    return c.json({ restored: { rows: outcome.rows, blobs: outcome.blobs }, schema: outcome.schema });
  });

  return api;
}
