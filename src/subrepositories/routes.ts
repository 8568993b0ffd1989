// /api/subrepositories: admins manage them, maintainers read them. Each answer names the
// Composer URL and the listed names no package has yet ("not yet present").
import { Hono, type MiddlewareHandler } from "hono";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import { publicBase } from "../composer/public-base.ts";
import type { AppContext, AppEnv } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { readJsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import type { Services } from "../services.ts";
import { readSubrepositoryInput, type SubrepositoryInput } from "./subrepository-input.ts";
import { describeSubrepository } from "./subrepository-view.ts";
import { deleteSubrepository, listSubrepositories, readSubrepository, saveSubrepository } from "./subrepository-store.ts";

export function subrepositoryRoutes() {
  const api = new Hono<AppEnv>();
  const write = requireScope("admin");
  // Maintainers read them (to tell customers their URL); admins, whatever their token's scopes.
  const read: MiddlewareHandler<AppEnv> = async (c, next) => (currentPrincipal(c).scopes.includes("admin") ? next() : requireScope("packages:write")(c, next));

  api.get("/subrepositories", read, async (c) => {
    const services = c.get("services");
    const rows = await listSubrepositories(services.db);
    const { packages } = await services.catalog.snapshot(services.now());
    return c.json({ subrepositories: rows.map((row) => describeSubrepository(row, packages, baseOf(c))) });
  });

  api.get("/subrepositories/:id", read, idParams("id"), async (c) => c.json(await loadView(c, c.req.valid("param").id)));

  api.post("/subrepositories", write, async (c) => {
    const id = await save(c, null, readSubrepositoryInput(await readJsonObject(c), true));
    return c.json(await loadView(c, id), 201);
  });

  api.put("/subrepositories/:id", write, idParams("id"), async (c) => {
    const id = c.req.valid("param").id;
    await readSubrepository(c.get("services").db, id);
    await save(c, id, readSubrepositoryInput(await readJsonObject(c), false));
    return c.json(await loadView(c, id));
  });

  api.delete("/subrepositories/:id", write, idParams("id"), async (c) => {
    const services = c.get("services");
    const id = c.req.valid("param").id;
    await readSubrepository(services.db, id);
    await deleteSubrepository(services, id);
    services.forgetAccess();
    return c.body(null, 204);
  });

  return api;
}

/** Stores a checked document and makes this process see it at once. */
export async function saveChecked(services: Services, id: number | null, input: SubrepositoryInput, base: string): Promise<number> {
  if (input.hostname && input.hostname === new URL(base).hostname) {
    throw new AppError(422, "invalid_subrepository", `"hostname" must differ from this server's own host (${input.hostname}).`);
  }
  const saved = await saveSubrepository(services, id, input);
  services.forgetAccess();
  return saved;
}

const save = (c: AppContext, id: number | null, input: SubrepositoryInput) => saveChecked(c.get("services"), id, input, baseOf(c));

const baseOf = (c: AppContext) => publicBase(c, c.get("services").config.publicUrl);

async function loadView(c: AppContext, id: number) {
  const services = c.get("services");
  const row = await readSubrepository(services.db, id);
  const { packages } = await services.catalog.snapshot(services.now());
  return describeSubrepository(row, packages, baseOf(c));
}
