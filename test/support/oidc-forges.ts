// GitLab (self-managed, under a relative URL root), Google and Gitea/Forgejo as OpenID
// providers on 127.0.0.1, in the shapes their documentation gives:
// - GitLab (docs.gitlab.com, "GitLab as an OpenID Connect identity provider"; Doorkeeper):
//   issuer = the instance URL (here .../gitlab, no trailing slash), /oauth/authorize,
//   /oauth/token answering {"access_token","token_type":"Bearer","expires_in","refresh_token",
//   "scope","created_at","id_token"}, /oauth/discovery/keys; ID token with sub (the user id as a
//   string), sub_legacy, auth_time, name, nickname, preferred_username, email, email_verified,
//   website, profile, picture and groups_direct (group full paths).
// - Google (developers.google.com/identity/openid-connect): /o/oauth2/v2/auth, /token answering
//   {"access_token","expires_in","scope","token_type":"Bearer","id_token"}, /oauth2/v3/certs; ID
//   token with azp, sub (digits), hd, email, email_verified, at_hash, name, picture, given_name,
//   family_name.
// - Gitea/Forgejo (routers/web/auth/oauth.go): issuer = ROOT_URL WITH its trailing slash,
//   login/oauth/authorize, login/oauth/access_token answering {"access_token","token_type":"bearer",
//   "expires_in","refresh_token","id_token"}, login/oauth/keys; ID token with name,
//   preferred_username, profile, picture, website, locale, updated_at, email, email_verified and,
//   with the `groups` scope, groups (organizations, and "org:team").
// The user approving the next authorization is queued with POST /_control/next-user
// {"forge", "claims"}. The token endpoint checks the client's Basic credentials, the code (once),
// the redirect URI and the PKCE verifier, as the providers do.
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type JWK } from "jose";

export type Forge = "gitlab" | "google" | "gitea";

export const FORGE_CLIENTS: Record<Forge, { id: string; secret: string }> = {
  gitlab: { id: "0f6e3b1c9a0d4e7f8a2b5c6d7e8f9a0b1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f", secret: "gloas-6d0a1e3f5b7c9d2e4f6a8b0c1d3e5f7a9b2c4d6e8f0a1b3c5d7e9f2a4b6c8d0e" },
  google: { id: "1234567890-abcdefghijklmnopqrstuvwxyz012345.apps.googleusercontent.com", secret: "GOCSPX-satchel-test-secret" },
  gitea: { id: "3c1d4a5b-6e7f-4801-9a2b-3c4d5e6f7a8b", secret: "gto_satcheltestsecretsatcheltestsecret" },
};

export interface OidcForges {
  /** The server's origin (its /_control/next-user). */
  url: string;
  /** The issuer an admin configures for each. */
  issuer(forge: Forge): string;
  close(): Promise<void>;
}

interface Paths {
  base: string;
  issuer: (origin: string) => string;
  authorize: string;
  token: string;
  keys: string;
  userinfo: string;
}

const PATHS: Record<Forge, Paths> = {
  gitlab: { base: "/gitlab", issuer: (origin) => `${origin}/gitlab`, authorize: "/gitlab/oauth/authorize", token: "/gitlab/oauth/token", keys: "/gitlab/oauth/discovery/keys", userinfo: "/gitlab/oauth/userinfo" },
  google: { base: "/google", issuer: (origin) => `${origin}/google`, authorize: "/google/o/oauth2/v2/auth", token: "/google/token", keys: "/google/oauth2/v3/certs", userinfo: "/google/v1/userinfo" },
  gitea: { base: "/gitea", issuer: (origin) => `${origin}/gitea/`, authorize: "/gitea/login/oauth/authorize", token: "/gitea/login/oauth/access_token", keys: "/gitea/login/oauth/keys", userinfo: "/gitea/login/oauth/userinfo" },
};

function discovery(forge: Forge, origin: string): Record<string, unknown> {
  const paths = PATHS[forge];
  const common = {
    issuer: paths.issuer(origin),
    authorization_endpoint: `${origin}${paths.authorize}`,
    token_endpoint: `${origin}${paths.token}`,
    userinfo_endpoint: `${origin}${paths.userinfo}`,
    jwks_uri: `${origin}${paths.keys}`,
    response_types_supported: ["code"],
    subject_types_supported: ["public"],
    id_token_signing_alg_values_supported: ["RS256"],
    code_challenge_methods_supported: ["plain", "S256"],
  };
  if (forge === "gitlab") {
    return {
      ...common,
      revocation_endpoint: `${origin}/gitlab/oauth/revoke`,
      introspection_endpoint: `${origin}/gitlab/oauth/introspect`,
      scopes_supported: ["api", "read_api", "read_user", "openid", "profile", "email"],
      response_modes_supported: ["query", "fragment", "form_post"],
      token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post"],
      claim_types_supported: ["normal"],
      claims_supported: ["iss", "sub", "aud", "exp", "iat", "sub_legacy", "name", "nickname", "preferred_username", "email", "email_verified", "website", "profile", "picture", "groups", "groups_direct", "https://gitlab.org/claims/groups/owner"],
    };
  }
  if (forge === "google") {
    return {
      ...common,
      device_authorization_endpoint: `${origin}/google/device/code`,
      revocation_endpoint: `${origin}/google/revoke`,
      response_types_supported: ["code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token", "none"],
      scopes_supported: ["openid", "email", "profile"],
      token_endpoint_auth_methods_supported: ["client_secret_post", "client_secret_basic"],
      claims_supported: ["aud", "email", "email_verified", "exp", "family_name", "given_name", "iat", "iss", "name", "picture", "sub"],
      grant_types_supported: ["authorization_code", "refresh_token", "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer"],
    };
  }
  return {
    ...common,
    introspection_endpoint: `${origin}/gitea/login/oauth/introspect`,
    response_types_supported: ["code", "id_token"],
    scopes_supported: ["openid", "profile", "email", "groups"],
    claims_supported: ["aud", "exp", "iat", "iss", "sub", "name", "preferred_username", "profile", "picture", "website", "locale", "updated_at", "email", "email_verified", "groups"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    request_parameter_supported: false,
  };
}

function tokenAnswer(forge: Forge, idToken: string, scope: string): Record<string, unknown> {
  const accessToken = randomUUID().replaceAll("-", "");
  if (forge === "gitlab") return { access_token: accessToken, token_type: "Bearer", expires_in: 7200, refresh_token: randomUUID().replaceAll("-", ""), scope, created_at: Math.floor(Date.now() / 1000), id_token: idToken };
  if (forge === "google") return { access_token: `ya29.${accessToken}`, expires_in: 3599, scope, token_type: "Bearer", id_token: idToken };
  return { access_token: accessToken, token_type: "bearer", expires_in: 3600, refresh_token: randomUUID().replaceAll("-", ""), id_token: idToken };
}

/** The issuer an admin configures for `forge` on the server at `url`. */
export function forgeIssuer(url: string, forge: Forge): string {
  return PATHS[forge].issuer(url);
}

export async function startOidcForges(): Promise<OidcForges> {
  const { publicKey, privateKey } = await generateKeyPair("RS256");
  const kid = randomUUID();
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: "RS256", use: "sig" };
  const queued: { forge: Forge; claims: Record<string, unknown> }[] = [];
  const codes = new Map<string, { forge: Forge; claims: Record<string, unknown>; clientId: string; redirectUri: string; challenge: string; nonce: string; scope: string; used: boolean }>();
  let origin = "";

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", async () => {
      const url = new URL(request.url ?? "/", origin);
      const body = Buffer.concat(chunks).toString("utf8");
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(value === null ? undefined : JSON.stringify(value));
      };
      if (url.pathname === "/_control/next-user") {
        queued.push(JSON.parse(body) as { forge: Forge; claims: Record<string, unknown> });
        return send(204, null);
      }
      const forge = (Object.keys(PATHS) as Forge[]).find((name) => url.pathname.startsWith(`${PATHS[name].base}/`));
      if (!forge) return send(404, { error: "not_found" });
      const paths = PATHS[forge];
      const issuer = paths.issuer(origin);
      const client = FORGE_CLIENTS[forge];
      if (url.pathname === `${paths.base}/.well-known/openid-configuration`) return send(200, discovery(forge, origin));
      if (url.pathname === paths.keys) return send(200, { keys: [jwk] });
      if (url.pathname === paths.authorize) {
        const user = queued.findIndex((entry) => entry.forge === forge);
        const redirectUri = url.searchParams.get("redirect_uri") ?? "";
        if (user < 0 || url.searchParams.get("client_id") !== client.id || url.searchParams.get("code_challenge_method") !== "S256") return send(400, { error: "invalid_request" });
        const [{ claims }] = queued.splice(user, 1);
        const code = randomUUID();
        codes.set(code, { forge, claims, clientId: client.id, redirectUri, challenge: url.searchParams.get("code_challenge") ?? "", nonce: url.searchParams.get("nonce") ?? "", scope: url.searchParams.get("scope") ?? "", used: false });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        return send(302, null, { location: back.toString() });
      }
      if (url.pathname === paths.token && request.method === "POST") {
        const form = new URLSearchParams(body);
        const basic = Buffer.from((request.headers.authorization ?? "").replace(/^Basic /, ""), "base64").toString("utf8");
        const [id, secret] = basic.split(":").map((part: string) => decodeURIComponent(part));
        if (id !== client.id || secret !== client.secret) return send(401, { error: "invalid_client", error_description: "Client authentication failed due to unknown client, no client authentication included, or unsupported authentication method." });
        const grant = codes.get(form.get("code") ?? "");
        const verifier = form.get("code_verifier") ?? "";
        const challenge = createHash("sha256").update(verifier).digest("base64url");
        if (!grant || grant.used || grant.forge !== forge || grant.redirectUri !== form.get("redirect_uri") || grant.challenge !== challenge || form.get("grant_type") !== "authorization_code") {
          return send(400, { error: "invalid_grant", error_description: "The provided authorization grant is invalid, expired, revoked, does not match the redirection URI used in the authorization request, or was issued to another client." });
        }
        grant.used = true;
        const now = Math.floor(Date.now() / 1000);
        const idToken = await new SignJWT({ ...grant.claims, nonce: grant.nonce, ...(forge === "google" ? { azp: client.id, at_hash: randomUUID().slice(0, 22) } : { auth_time: now - 5 }) })
          .setProtectedHeader({ alg: "RS256", kid, typ: "JWT" })
          .setIssuer(issuer)
          .setAudience(client.id)
          .setIssuedAt(now)
          .setExpirationTime(now + (forge === "google" ? 3599 : 120))
          .sign(privateKey);
        return send(200, tokenAnswer(forge, idToken, grant.scope), { "cache-control": "no-store", pragma: "no-cache" });
      }
      send(404, { error: "not_found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: origin, issuer: (forge) => PATHS[forge].issuer(origin), close: () => new Promise((resolve) => server.close(() => resolve())) };
}
