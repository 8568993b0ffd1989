// Pages reached from a mail: /invite/{token} (choose a password) and /password-reset (ask for a
// link; the answer is the same whether the account exists) then /password-reset/{token}. A link
// works once and not after it expires; a used or expired one gets a clear page.
import { Hono } from "hono";
import { html } from "hono/html";
import { reserveLoginAttempt } from "../src/auth/login-throttle.ts";
import { recordAudit } from "../src/audit/audit-log.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { clientIp } from "../src/http/context.ts";
import { textParams } from "../src/http/route-params.ts";
import { consumeLink, createLink, liveLinkUser, type LinkPurpose } from "../src/identity/one-time-link-store.ts";
import { sendMail } from "../src/mail/mail-outbox-store.ts";
import { findPersonByNameOrEmail, saveUser } from "../src/users/user-store.ts";
import { MIN_PASSWORD_LENGTH } from "../src/users/user-input.ts";
import { csrfField } from "./components/form.ts";
import { page } from "./layout.ts";
import { PRE_SESSION_FORM_LIMIT, readForm } from "./form-input.ts";
import { preSessionCsrf } from "./session.ts";
import type { PageContext, PageEnv } from "./page-context.ts";

const RESET_LIFETIME_MS = 60 * 60_000;
const card = (title: string, body: unknown) => page(title, html`<div class="narrow"><div class="card"><h1>${title}</h1>${body}</div></div>`);

export function oneTimeLinkPages() {
  const pages = new Hono<PageEnv>();
  for (const path of ["/invite/*", "/password-reset", "/password-reset/*"]) pages.use(path, preSessionCsrf());
  choosePassword(pages, "/invite/:token", "invite");
  choosePassword(pages, "/password-reset/:token", "reset");

  pages.get("/password-reset", (c) => c.html(resetRequestPage(c.get("csrf"))));
  pages.post("/password-reset", async (c) => {
    const services = c.get("services");
    const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
    const name = (typeof form.username === "string" ? form.username : "").trim().toLowerCase().slice(0, 254);
    const answer = c.html(card("Check your mail", html`<p>If that account has an email address, a link to choose a new password is on its way. It works once, for an hour.</p>`));
    // Counted like sign-in attempts: no flood of mail from one address or at one account.
    if (!name || !(await reserveLoginAttempt({ db: services.db, now: services.now() }, clientIp(c), `reset:${name}`))) return answer;
    const user = await findPersonByNameOrEmail(services.db, name);
    if (user?.email && !user.disabled) {
      const token = await createLink(services.db, "reset", user.id, services.now(), RESET_LIFETIME_MS);
      const base = publicBase(c, services.config.publicUrl);
      await sendMail(services, { to: user.email, subject: "Choose a new Satchel password", text: `Someone (you, we hope) asked to reset the password of "${user.username}" at ${base}.\n\nChoose a new one here (the link works once, for an hour):\n${base}/password-reset/${token}\n\nIf it was not you, ignore this mail: your password stays as it is.\n` });
      await recordAudit(services, { actor: null, action: "password reset requested", target: user.username, ip: clientIp(c) });
    }
    return answer;
  });
  return pages;
}

function choosePassword(pages: Hono<PageEnv>, path: string, purpose: LinkPurpose) {
  const title = purpose === "invite" ? "Welcome: choose your password" : "Choose a new password";
  const gone = (c: PageContext) => c.html(card("This link no longer works", html`<p>It was already used, or it has expired. Ask an admin for a new invitation, or <a href="/password-reset">ask for a new password link</a>.</p>`), 410);
  pages.get(path, textParams("token"), async (c) => {
    const services = c.get("services");
    if ((await liveLinkUser(services.db, purpose, c.req.valid("param").token, services.now())) === null) return gone(c);
    return c.html(passwordPage(title, c.get("csrf"), c.req.path));
  });
  pages.post(path, textParams("token"), async (c) => {
    const services = c.get("services");
    const form = await readForm(c, PRE_SESSION_FORM_LIMIT);
    const password = typeof form.password === "string" ? form.password : "";
    if (password.length < MIN_PASSWORD_LENGTH || password.length > 1024) return c.html(passwordPage(title, c.get("csrf"), c.req.path, `The password needs at least ${MIN_PASSWORD_LENGTH} characters.`), 400);
    const userId = await consumeLink(services.db, purpose, c.req.valid("param").token, services.now());
    if (userId === null) return gone(c);
    await saveUser(services, userId, { password });
    await recordAudit(services, { actor: null, action: purpose === "invite" ? "invitation accepted" : "password reset", target: String(userId), ip: clientIp(c) });
    return c.redirect("/login", 303);
  });
}

function passwordPage(title: string, csrf: string, action: string, error?: string) {
  return card(
    title,
    html`<form method="post" action="${action}">${error ? html`<p class="error" role="alert">${error}</p>` : ""}${csrfField(csrf)}
<label for="password">Password</label><input id="password" name="password" type="password" autocomplete="new-password" required minlength="${MIN_PASSWORD_LENGTH}">
<button type="submit">Save password</button></form>`,
  );
}

function resetRequestPage(csrf: string) {
  return card(
    "Forgot your password?",
    html`<form method="post" action="/password-reset">${csrfField(csrf)}<label for="username">Username or email</label><input id="username" name="username" required autofocus><button type="submit">Mail me a link</button></form>`,
  );
}
