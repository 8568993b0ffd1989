// "Account": password change and the optional second factor (TOTP with recovery codes).
import { html, raw } from "hono/html";
import { renderSVG } from "uqr";
import { copyBlock, csrfField } from "./components/form.ts";

export function accountPage(view: { csrf: string; username: string; roles: string[]; totp: boolean; recoveryLeft: number }) {
  return html`<h1>Account</h1>
<div class="card"><dl class="facts"><dt>Username</dt><dd>${view.username}</dd><dt>Roles</dt><dd>${view.roles.join(", ")}</dd></dl></div>
<div class="grid">
<form class="card" method="post" action="/account/password">${csrfField(view.csrf)}
<h2 style="margin-top:0">Change password</h2>
<label for="current">Current password</label><input id="current" name="current" type="password" autocomplete="current-password" required>
<label for="password">New password (8+ characters)</label><input id="password" name="password" type="password" minlength="8" autocomplete="new-password" required>
<label for="confirm">New password again</label><input id="confirm" name="confirm" type="password" minlength="8" autocomplete="new-password" required>
<p class="small muted">Your other browser sessions are signed out.</p>
<button type="submit">Change password</button></form>
<div class="card"><h2 style="margin-top:0">Two-factor authentication</h2>
${view.totp
  ? html`<p><span class="badge ok">on</span> Sign-in and <code>POST /api/auth/token</code> ask for a code from your authenticator app.</p>
<p class="muted">${view.recoveryLeft} unused recovery codes left.</p>
<form method="post" action="/account/2fa/disable">${csrfField(view.csrf)}
<label for="dis-password">Password</label><input id="dis-password" name="password" type="password" required>
<label for="dis-otp">Current code or a recovery code</label><input id="dis-otp" name="otp" autocomplete="one-time-code" required>
<button type="submit" class="danger">Turn off</button></form>`
  : html`<p><span class="badge">off</span> Protect your account with a code from an authenticator app (TOTP).</p>
<a class="button" href="/account/2fa">Set up two-factor authentication</a>`}
</div></div>`;
}

export function totpSetupPage(view: { csrf: string; secret: string; signature: string; uri: string }) {
  // The QR code encodes the otpauth URI; uqr returns plain SVG paths built from it (no markup from input).
  const qr = renderSVG(view.uri, { ecc: "M", border: 2 });
  return html`<h1>Set up two-factor authentication</h1>
<div class="card"><ol>
<li>Scan this code with your authenticator app (or enter the key by hand).</li>
<li>Type the 6-digit code the app shows to confirm.</li></ol>
<div class="row" style="align-items:start"><div class="qr" style="flex:0 0 auto">${raw(qr)}</div>
<div><label>Key</label>${copyBlock("totp-secret", view.secret.replace(/(.{4})/g, "$1 ").trim())}
<details><summary>otpauth:// link</summary>${copyBlock("totp-uri", view.uri)}</details></div></div>
<form method="post" action="/account/2fa">${csrfField(view.csrf)}
<input type="hidden" name="secret" value="${view.secret}"><input type="hidden" name="signature" value="${view.signature}">
<label for="otp">Code from the app</label><input id="otp" name="otp" inputmode="numeric" autocomplete="one-time-code" required style="max-width:12rem">
<button type="submit">Turn on</button></form></div>`;
}

export function recoveryCodesPage(codes: string[]) {
  return html`<h1>Two-factor authentication is on</h1>
<div class="secret"><p><strong>Save these recovery codes now: they are shown only once.</strong> Each works once, in place of a code, if you lose your phone.</p>
${copyBlock("recovery-codes", codes.join("\n"))}</div>
<a class="button" href="/account">Done</a>`;
}
