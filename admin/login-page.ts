import { html } from "hono/html";
import { page } from "./layout.ts";

export function loginPage(error?: string) {
  return page(
    "Sign in",
    html`<form class="card" method="post" action="/login">
  <h1>Sign in</h1>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
  <label for="username">Username</label>
  <input id="username" name="username" autocomplete="username" required autofocus>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required>
  <button type="submit">Sign in</button>
</form>`,
  );
}

export function setupPage(token: string, error?: string) {
  return page(
    "Create the first admin",
    html`<form class="card" method="post" action="/setup">
  <h1>Create the first admin</h1>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ""}
  <input type="hidden" name="token" value="${token}">
  <label for="username">Username</label>
  <input id="username" name="username" required autofocus>
  <label for="email">Email (optional)</label>
  <input id="email" name="email" type="email">
  <label for="password">Password (8+ characters)</label>
  <input id="password" name="password" type="password" minlength="8" required>
  <button type="submit">Create admin</button>
</form>`,
  );
}
