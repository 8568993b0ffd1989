// /admin/credentials: list, generate an ed25519 SSH key, add a token or key, delete.
import { Hono } from "hono";
import { auditFrom } from "../src/audit/audit-log.ts";
import { deleteCredential, listCredentials, saveCredential } from "../src/credentials/credential-store.ts";
import { generateEd25519KeyPair } from "../src/credentials/ssh-keygen.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { badRequest, notFound } from "../src/http/errors.ts";
import { routeId } from "../src/http/json-body.ts";
import { credentialsPage } from "./credentials-page.ts";
import { formAction, redirectWith, render } from "./render.ts";
import { field, readForm } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { requirePageScope } from "./session.ts";

export function credentialPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requirePageScope("admin"));

  pages.get("/", (c) => credentialsView(c));

  pages.post("/generate", (c) =>
    formAction(c, "/admin/credentials", async () => {
      const services = c.get("services");
      const name = field(await readForm(c), "name", 100);
      if (!name) throw badRequest("Give the key a name.");
      const host = new URL(publicBase(c, services.config.publicUrl)).hostname;
      const pair = await generateEd25519KeyPair(`satchel@${host}`);
      const row = await saveCredential(services, { name, kind: "ssh-key", secret: pair.privateKey, publicInfo: pair.publicKey });
      await auditFrom(c, c.get("session"), "ssh key generated", name, { id: row.id });
      return credentialsView(c, { name, publicKey: pair.publicKey });
    }),
  );

  pages.post("/", (c) =>
    formAction(c, "/admin/credentials", async () => {
      const form = await readForm(c);
      const name = field(form, "name", 100);
      if (!name) throw badRequest("Give the credentials a name.");
      const secret = typeof form.secret === "string" ? form.secret.replace(/\r\n/g, "\n") : "";
      const row = await saveCredential(c.get("services"), { name, kind: field(form, "kind", 20), secret, publicInfo: field(form, "publicInfo", 4096) || null });
      await auditFrom(c, c.get("session"), "credentials added", name, { id: row.id, kind: row.kind });
      return redirectWith(c, "/admin/credentials", "ok", `${name} was saved. Its secret is not shown again.`);
    }),
  );

  pages.post("/:id/delete", (c) =>
    formAction(c, "/admin/credentials", async () => {
      const row = await deleteCredential(c.get("services").db, routeId(c.req.param("id")));
      if (!row) throw notFound("No such credentials.");
      await auditFrom(c, c.get("session"), "credentials deleted", row.name, { id: row.id });
      return redirectWith(c, "/admin/credentials", "ok", `${row.name} was deleted.`);
    }),
  );

  return pages;
}

async function credentialsView(c: PageContext, generated?: { name: string; publicKey: string }) {
  const rows = await listCredentials(c.get("services").db);
  return render(c, "Credentials", credentialsPage({ csrf: c.get("csrf"), rows, generated }), { active: "credentials" });
}
