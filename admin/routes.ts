// Pages served by the edge app: sign-in at the root, each user's own settings under /account,
// the admin area under /admin. Mounted by src/app.ts with one line.
import { Hono } from "hono";
import { publicBase } from "../src/composer/public-base.ts";
import { accountPages } from "./account-routes.ts";
import { COPY_BUTTONS_PATH, serveCopyButtons } from "./assets.ts";
import { adminArea } from "./admin-area.ts";
import { authPages } from "./auth-routes.ts";
import { externalSignInPages, identityLinkPages } from "./external-sign-in-routes.ts";
import { oneTimeLinkPages } from "./one-time-link-routes.ts";
import { customerPage } from "./customer-page.ts";
import { customerPackages } from "./customer-view.ts";
import { dashboard } from "./dashboard-routes.ts";
import { render } from "./render.ts";
import { pageNumber } from "./form-input.ts";
import type { PageContext, PageEnv } from "./page-context.ts";
import { requireSession } from "./session.ts";
import { usableSubrepositories } from "../src/subrepositories/usable-subrepositories.ts";

export function adminRoutes() {
  const pages = new Hono<PageEnv>();
  pages.get(COPY_BUTTONS_PATH, serveCopyButtons);
  pages.route("/", externalSignInPages());
  pages.route("/", oneTimeLinkPages());
  pages.route("/", authPages());
  pages.route("/account/identities", identityLinkPages());
  pages.route("/account", accountPages());
  pages.route("/admin", adminArea());

  // An unauthenticated visit to / leads to the login form (contract); admins and maintainers
  // land on the dashboard, customers on their packages.
  pages.use("/", requireSession());
  pages.use("/my-packages", requireSession());
  pages.get("/", (c) => (c.get("session").scopes.includes("packages:write") ? dashboard(c) : myPackages(c, "/")));
  pages.get("/my-packages", (c) => myPackages(c, "/my-packages"));
  return pages;
}

async function myPackages(c: PageContext, path: string) {
  const services = c.get("services");
  const me = c.get("session");
  const page = pageNumber(c.req.query("page"));
  const { total, packages } = await customerPackages(services, me, page);
  const setup = { base: publicBase(c, services.config.publicUrl), username: me.username };
  const subrepositories = await usableSubrepositories(services, me, setup.base);
  return render(c, "My packages", customerPage({ setup, packages, total, page, path, subrepositories }), { active: path === "/" ? "home" : "setup" });
}
