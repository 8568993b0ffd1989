// POST /downloads/: Composer's install notifications, counted per version per day.
import { versionFilterFor } from "../acl/visibility.ts";
import { currentPrincipal } from "../auth/middleware.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { clientIp, runInBackground, type AppContext } from "../http/context.ts";
import { badRequest } from "../http/errors.ts";
import { readJsonObject } from "../http/json-body.ts";

const MAX_ENTRIES = 500;

export async function receiveNotifyBatch(c: AppContext): Promise<Response> {
  const services = c.get("services");
  const principal = currentPrincipal(c);
  const entries: unknown = (await readJsonObject(c)).downloads;
  if (!Array.isArray(entries)) throw badRequest('Expected {"downloads": [{"name", "version"}]}.');
  const now = services.now();
  const ip = clientIp(c);
  const valid: { name: string; version: string }[] = [];
  for (const entry of entries.slice(0, MAX_ENTRIES)) {
    if (!entry || typeof entry !== "object") continue;
    const { name, version } = entry as Record<string, unknown>;
    if (typeof name !== "string" || typeof version !== "string" || version.length > 255 || !isValidPackageName(name)) continue;
    valid.push({ name, version });
  }
  const packages = await services.catalog.findMany(valid.map(({ name }) => name), now);
  for (const { name, version } of valid) {
    const pkg = packages.get(name);
    if (pkg && versionFilterFor(principal, pkg)) services.downloads.record(ip, pkg.id, version, now);
  }
  if (services.downloads.isDue(now)) runInBackground(c, services.downloads.flush(services.db, now));
  return c.json({ status: "success" }, 201);
}
