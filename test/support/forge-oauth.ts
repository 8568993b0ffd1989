// GitHub's and Bitbucket Cloud's OAuth endpoints and the REST calls sign-in makes, on 127.0.0.1
// in the shapes they document. GitHub as Enterprise Server serves it (the API under /api/v3):
//   GET  /login/oauth/authorize?client_id&redirect_uri&state&code_challenge... -> 302 back with ?code&state
//        (as if the user approved; the user is the one queued with POST /_control/next-user)
//   POST /login/oauth/access_token (client_id, client_secret, code, redirect_uri, code_verifier)
//        -> {"access_token","token_type","scope"}, or 200 {"error":"bad_verification_code"}
//   GET  /api/v3/user, /api/v3/user/emails, /api/v3/user/orgs (Authorization: Bearer <token>)
// Bitbucket Cloud (https://developer.atlassian.com/cloud/bitbucket/oauth-2/):
//   GET  /site/oauth2/authorize, POST /site/oauth2/access_token (client credentials as Basic auth)
//   GET  /2.0/user, /2.0/user/emails, /2.0/user/permissions/workspaces (paged: {"values": [...]})
import { createHash, randomUUID } from "node:crypto";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";

export interface GithubUser {
  id: number;
  login: string;
  emails: { email: string; primary: boolean; verified: boolean }[];
  orgs: string[];
}

export interface GithubOAuth {
  url: string;
  close(): Promise<void>;
}

export const GITHUB_CLIENT = { id: "Iv1.satchel", secret: "github-client-secret" };
export const BITBUCKET_CLIENT = { id: "bb-satchel", secret: "bitbucket-client-secret" };

export async function startForgeOAuth(): Promise<GithubOAuth> {
  const queued: GithubUser[] = [];
  const codes = new Map<string, { user: GithubUser; challenge: string; redirectUri: string; used: boolean }>();
  const tokens = new Map<string, GithubUser>();
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const url = new URL(request.url ?? "/", "http://github.test");
      const body = Buffer.concat(chunks).toString("utf8");
      const send = (status: number, value: unknown, headers: Record<string, string> = {}) => {
        response.writeHead(status, { "content-type": "application/json", ...headers });
        response.end(value === null ? undefined : JSON.stringify(value));
      };
      if (url.pathname === "/_control/next-user") {
        queued.push(JSON.parse(body) as GithubUser);
        return send(204, null);
      }
      if (url.pathname === "/login/oauth/authorize" || url.pathname === "/site/oauth2/authorize") {
        const user = queued.shift();
        const redirectUri = url.searchParams.get("redirect_uri") ?? "";
        const client = url.pathname === "/login/oauth/authorize" ? GITHUB_CLIENT : BITBUCKET_CLIENT;
        if (!user || url.searchParams.get("client_id") !== client.id || url.searchParams.get("code_challenge_method") !== "S256") return send(400, { error: "bad request" });
        const code = randomUUID();
        codes.set(code, { user, challenge: url.searchParams.get("code_challenge") ?? "", redirectUri, used: false });
        const back = new URL(redirectUri);
        back.searchParams.set("code", code);
        back.searchParams.set("state", url.searchParams.get("state") ?? "");
        return send(302, null, { location: back.toString() });
      }
      if (url.pathname === "/login/oauth/access_token" && request.method === "POST") {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get("code") ?? "");
        const verifier = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
        const valid = grant && !grant.used && form.get("client_id") === GITHUB_CLIENT.id && form.get("client_secret") === GITHUB_CLIENT.secret && form.get("redirect_uri") === grant.redirectUri && verifier === grant.challenge;
        if (!valid) return send(200, { error: "bad_verification_code", error_description: "The code passed is incorrect or expired." });
        grant.used = true;
        const token = `gho_${randomUUID().replace(/-/g, "")}`;
        tokens.set(token, grant.user);
        return send(200, { access_token: token, token_type: "bearer", scope: "read:org,read:user,user:email" });
      }
      if (url.pathname === "/site/oauth2/access_token" && request.method === "POST") {
        const form = new URLSearchParams(body);
        const grant = codes.get(form.get("code") ?? "");
        const verifier = createHash("sha256").update(form.get("code_verifier") ?? "").digest("base64url");
        const basic = `Basic ${Buffer.from(`${BITBUCKET_CLIENT.id}:${BITBUCKET_CLIENT.secret}`).toString("base64")}`;
        const valid = grant && !grant.used && request.headers.authorization === basic && form.get("grant_type") === "authorization_code" && verifier === grant.challenge;
        if (!valid) return send(400, { error: "invalid_grant", error_description: "The authorization code is invalid or expired." });
        grant.used = true;
        const token = randomUUID();
        tokens.set(token, grant.user);
        return send(200, { access_token: token, token_type: "bearer", scopes: "account email", expires_in: 7200, state: "authorization_code" });
      }
      const user = tokens.get((request.headers.authorization ?? "").replace(/^Bearer /, ""));
      if (!user) return send(401, { message: "Bad credentials" });
      if (url.pathname === "/api/v3/user") return send(200, { id: user.id, login: user.login, name: user.login, type: "User" });
      if (url.pathname === "/api/v3/user/emails") return send(200, user.emails.map((entry) => ({ ...entry, visibility: "private" })));
      if (url.pathname === "/api/v3/user/orgs") return send(200, user.orgs.map((login, i) => ({ login, id: 1000 + i })));
      if (url.pathname === "/2.0/user") return send(200, { uuid: `{${user.id}}`, username: user.login, nickname: user.login, display_name: user.login, account_id: `acct-${user.id}`, type: "user" });
      if (url.pathname === "/2.0/user/emails") return send(200, { pagelen: 10, page: 1, values: user.emails.map((entry) => ({ type: "email", email: entry.email, is_primary: entry.primary, is_confirmed: entry.verified })) });
      if (url.pathname === "/2.0/user/permissions/workspaces") return send(200, { pagelen: 10, page: 1, values: user.orgs.map((slug) => ({ type: "workspace_membership", permission: "member", workspace: { type: "workspace", slug, name: slug } })) });
      return send(404, { message: "Not Found" });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
