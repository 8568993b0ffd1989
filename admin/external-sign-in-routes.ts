// Sign-in with an identity provider: /login/oidc/{slug} sends the browser to the provider,
// /login/oidc/{slug}/callback brings it back; /account/identities/{slug}/link (a signed-in
// user, POST with the session's CSRF token) links a provider identity instead. Every failure is
// a clear page, and changes nobody.
import { Hono } from "hono";
import { deleteCookie, getCookie, setCookie } from "hono/cookie";
import { html } from "hono/html";
import { recordAudit } from "../src/audit/audit-log.ts";
import { publicBase } from "../src/composer/public-base.ts";
import { clientIp } from "../src/http/context.ts";
import { textParams } from "../src/http/route-params.ts";
import { resolveAccount } from "../src/identity/external-account.ts";
import { refreshTeamsAtSignIn } from "../src/integrations/team-sync.ts";
import { IdentityProviderStore, type IdentityProvider } from "../src/identity/identity-provider-store.ts";
import { finishProviderSignIn, startProviderSignIn } from "../src/identity/provider-sign-in.ts";
import { openPending, sealPending, SIGN_IN_COOKIE, SIGN_IN_COOKIE_PATH } from "../src/identity/sign-in-state.ts";
import { isHttps } from "./csrf.ts";
import { page } from "./layout.ts";
import { requireSession, startSession } from "./session.ts";
import type { PageContext, PageEnv } from "./page-context.ts";

export function externalSignInPages() {
  const pages = new Hono<PageEnv>();
  pages.get("/login/oidc/:slug", textParams("slug"), (c) => redirectToProvider(c, c.req.valid("param").slug, null));

  pages.get("/login/oidc/:slug/callback", textParams("slug"), async (c) => {
    const services = c.get("services");
    const provider = await providerOf(c, c.req.valid("param").slug);
    if (!provider) return failure(c, 404, "There is no such sign-in provider.");
    const pending = await openPending(services.config.encryptionKey, getCookie(c, SIGN_IN_COOKIE), services.now());
    deleteCookie(c, SIGN_IN_COOKIE, { path: SIGN_IN_COOKIE_PATH });
    if (!pending || pending.providerId !== provider.id) return failure(c, 400, "This sign-in has expired or was started in another browser: start again.");
    const secret = await store(c).clientSecret(provider.id);
    const query = { code: c.req.query("code"), state: c.req.query("state"), error: c.req.query("error") };
    const verified = await finishProviderSignIn(issuerAccess(c), provider, secret ?? "", pending, query, callbackUrl(c, provider));
    if (!verified.ok) {
      await recordAudit(services, { actor: null, action: "sign-in failed", target: provider.slug, details: { reason: verified.message }, ip: clientIp(c) });
      return failure(c, 400, verified.message);
    }
    const outcome = await resolveAccount(services, store(c), provider, verified.claims, pending.linkUserId);
    if (!outcome.ok) {
      const identity = { subject: String(verified.claims.sub).slice(0, 200), email: typeof verified.claims.email === "string" ? verified.claims.email.slice(0, 200) : null };
      await recordAudit(services, { actor: null, action: "sign-in refused", target: provider.slug, details: { reason: outcome.reason, ...identity }, ip: clientIp(c) });
      return failure(c, outcome.status, outcome.message);
    }
    await refreshTeamsAtSignIn(services, provider, verified.claims, outcome.userId);
    const actor = { userId: outcome.userId, username: String(verified.claims.preferred_username ?? verified.claims.sub) };
    if (pending.linkUserId !== null) {
      await recordAudit(services, { actor, action: "identity linked", target: provider.slug, ip: clientIp(c) });
      return continuePage(c, "/account/identities", `Your ${provider.name} identity is linked: you can sign in with it.`);
    }
    await startSession(c, outcome.userId);
    await recordAudit(services, { actor, action: outcome.created ? "signed up" : "login", target: provider.slug, details: { provider: provider.slug }, ip: clientIp(c) });
    return continuePage(c, "/", "You are signed in.");
  });
  return pages;
}

/** Under /account/identities (a signed-in user). */
export function identityLinkPages() {
  const pages = new Hono<PageEnv>();
  pages.use("*", requireSession());
  pages.get("/", async (c) => {
    const providers = await store(c).list();
    const linked = new Set(await store(c).providersLinkedTo(c.get("session").userId));
    return c.html(
      page(
        "Sign-in providers",
        html`<h1>Sign-in providers</h1>${providers.map(
          (provider) => html`<form class="card" method="post" action="/account/identities/${provider.slug}/link"><input type="hidden" name="_csrf" value="${c.get("csrf")}">
<p>${provider.name}: ${linked.has(provider.id) ? "linked" : "not linked"}</p><button type="submit">Link ${provider.name}</button></form>`,
        )}`,
      ),
    );
  });
  pages.post("/:slug/link", textParams("slug"), (c) => redirectToProvider(c, c.req.valid("param").slug, c.get("session").userId));
  return pages;
}

async function redirectToProvider(c: PageContext, slug: string, linkUserId: number | null): Promise<Response> {
  const services = c.get("services");
  const provider = await providerOf(c, slug);
  if (!provider) return failure(c, 404, "There is no such sign-in provider.");
  const started = await startProviderSignIn(issuerAccess(c), provider, callbackUrl(c, provider), linkUserId);
  if (typeof started === "string") return failure(c, 502, started);
  // Lax: the provider's redirect back is a cross-site navigation, which a Strict cookie misses.
  setCookie(c, SIGN_IN_COOKIE, await sealPending(services.config.encryptionKey, started.pending), { httpOnly: true, sameSite: "Lax", secure: isHttps(c), path: SIGN_IN_COOKIE_PATH, maxAge: 600 });
  return c.redirect(started.url, 302);
}

const store = (c: PageContext) => new IdentityProviderStore(c.get("services").db, c.get("services").config.encryptionKey);
const providerOf = (c: PageContext, slug: string) => store(c).find({ slug });
const callbackUrl = (c: PageContext, provider: IdentityProvider) => `${publicBase(c, c.get("services").config.publicUrl)}/login/oidc/${provider.slug}/callback`;
const issuerAccess = (c: PageContext) => {
  const services = c.get("services");
  return { fetch: services.fetch, now: services.now, allowInsecure: services.config.allowInsecureOidcIssuers === true };
};

function failure(c: PageContext, status: 400 | 403 | 404 | 502, message: string) {
  const body = html`<div class="narrow"><div class="card"><h1>Sign-in failed</h1><p class="error" role="alert">${message}</p><p><a href="/login">Back to sign-in</a></p></div></div>`;
  return c.html(page("Sign-in failed", body), status);
}

// The session cookie is SameSite=Strict: a redirect at the end of the provider's cross-site
// chain would arrive without it, so the browser moves on from a page of our own.
function continuePage(c: PageContext, to: string, message: string) {
  const body = html`<div class="narrow"><div class="card"><h1>${message}</h1><p><a id="continue" href="${to}">Continue</a></p></div></div>`;
  return c.html(html`<meta http-equiv="refresh" content="0;url=${to}">${page("Signed in", body)}`);
}
