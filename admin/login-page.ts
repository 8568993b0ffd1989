// The forms shown before sign-in: password, second factor, first-admin setup.
import { html } from "hono/html";
import { csrfField } from "./components/form.ts";
import { page } from "./layout.ts";

const errorLine = (error?: string) => (error ? html`<p class="error" role="alert">${error}</p>` : "");

export function loginPage(csrf: string, error?: string, providers: { slug: string; name: string }[] = []) {
  return page(
    "Sign in",
    html`<div class="narrow">${providers.map((provider) => html`<p><a class="button" id="sign-in-${provider.slug}" href="/login/oidc/${provider.slug}">Sign in with ${provider.name}</a></p>`)}<form class="card" method="post" action="/login">
  <h1>Sign in</h1>
  ${errorLine(error)}${csrfField(csrf)}
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
  <p class="small"><a href="/password-reset">Forgot your password?</a></p>
</form></div>`,
  );
}

export function secondFactorPage(csrf: string, error?: string) {
  return page(
    "Two-factor authentication",
    html`<div class="narrow"><form class="card" method="post" action="/login/otp">
  <h1>Two-factor authentication</h1>
  ${errorLine(error)}${csrfField(csrf)}
  <p class="muted">Enter the 6-digit code from your authenticator app, or one of your recovery codes.</p>
  <label for="otp">Code</label>
  <input id="otp" name="otp" autocomplete="one-time-code" inputmode="numeric" required autofocus>
  <button type="submit">Verify</button>
</form></div>`,
  );
}

export function setupPage(csrf: string, token: string, error?: string) {
  return page(
    "Create the first admin",
    html`<div class="narrow"><form class="card" method="post" action="/setup">
  <h1>Create the first admin</h1>
  ${errorLine(error)}${csrfField(csrf)}
  <input type="hidden" name="token" value="${token}">
  <label for="username">Username</label>
  <input id="username" name="username" required autofocus>
  <label for="email">Email (optional)</label>
  <input id="email" name="email" type="email">
  <label for="password">Password (8+ characters)</label>
  <input id="password" name="password" type="password" minlength="8" required>
  <button type="submit">Create admin</button>
</form></div>`,
  );
}
