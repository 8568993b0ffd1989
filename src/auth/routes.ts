// POST /api/auth/token: a password exchanged for an API token. The only API route that takes
// a password, throttled per address and account (login-throttle.ts); accounts with two-factor
// also need "otp".
import { Hono } from "hono";
import { findUserByName } from "../users/user-store.ts";
import { directoryUser } from "../identity/directory-sign-in.ts";
import { clientIp, type AppEnv } from "../http/context.ts";
import { AppError } from "../http/errors.ts";
import { optionalDate, readJsonObject, requiredString } from "../http/json-body.ts";
import { requestedExpiry, requestedScopes } from "./token-request.ts";
import { issueToken } from "./api-tokens.ts";
import { reserveLoginAttempt } from "./login-throttle.ts";
import { verifyPassword } from "../crypto/password.ts";
import { passwordSignInRefusal, signInHash } from "./sign-in-policy.ts";
import { hasSecondFactor, verifySecondFactor } from "./second-factor.ts";
import { loadPrincipal } from "./principal.ts";

const DENIED = "Invalid username or password.";

export function authRoutes() {
  const api = new Hono<AppEnv>();
  api.post("/auth/token", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c, 16 * 1024);
    const username = requiredString(body, "username", 64);
    const password = requiredString(body, "password", 1024);
    const now = services.now();
    const attempt = await reserveLoginAttempt({ db: services.db, now }, clientIp(c), `user:${username.toLowerCase()}`);
    if (!attempt) throw new AppError(429, "rate_limited", "Too many failed logins. Try again in a few minutes.");
    let user = await findUserByName(services.db, username);
    let passwordOk = await verifyPassword(password, signInHash(user));
    const fromDirectory = passwordOk ? null : await directoryUser(services, username, password, clientIp(c));
    if (fromDirectory) [user, passwordOk] = [fromDirectory, true];
    const principal = user && passwordOk ? await loadPrincipal(services.db, user.id) : null;
    // A failure keeps its reserved slot: that is what the limit counts.
    if (!principal || principal.disabled || (principal.expiresAt !== null && principal.expiresAt <= now)) throw new AppError(401, "invalid_credentials", DENIED);
    // Told only to whoever knows the password.
    const refusal = user ? passwordSignInRefusal(services.config, user) : null;
    if (refusal) {
      await attempt.release();
      throw new AppError(403, "password_sign_in_off", refusal);
    }
    if (user && hasSecondFactor(user)) {
      const otp = typeof body.otp === "string" ? body.otp.slice(0, 64) : "";
      if (!otp) {
        await attempt.release();
        throw new AppError(401, "otp_required", 'This account uses two-factor authentication: send "otp" with a current code or a recovery code.');
      }
      if (!(await verifySecondFactor(services, user, otp))) throw new AppError(401, "invalid_otp", "The one-time code is wrong or was already used.");
    }
    await attempt.release();
    const scopes = requestedScopes(body, principal);
    const expiresAt = requestedExpiry(optionalDate(body, "expiresAt") ?? null, principal, now);
    const name = `api token ${new Date(now).toISOString().slice(0, 10)}`;
    const issued = await issueToken(services, { userId: principal.userId, name, kind: "api", scopes, expiresAt, parentId: null });
    return c.json({ token: issued.token, expiresAt: issued.expiresAt, id: issued.id, scopes: issued.scopes }, 201);
  });
  return api;
}
