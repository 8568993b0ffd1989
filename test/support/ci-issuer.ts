// A local OIDC issuer for CI tokens, in the shape GitHub Actions and GitLab CI serve theirs:
// `{issuer}/.well-known/openid-configuration` naming a `jwks_uri`, and the JWKS there. One
// server hosts several issuers under paths (`{url}/github`, `{url}/gitlab`, ...). Tests inside
// workerd drive it over HTTP too:
//   POST /_control/sign {"issuer": "github", "claims": {...}, "forge"?: "none" | "hs256" | "unlisted-key"}
//     -> {"value": "<jwt>"} (GitHub's ACTIONS_ID_TOKEN_REQUEST_URL answers in this shape)
//   GET /_actions/token?claims=<base64url JSON>&audience=<aud> with `Authorization: bearer <any>`
//     -> {"value": "<jwt>"} from the `github` issuer: what a job's ACTIONS_ID_TOKEN_REQUEST_URL
//     answers, so the README's workflow lines run unchanged against it.
//   POST /_control/id-token {"issuer", "claims", "forge"?} queues the ID token the next
//     `{issuer}/token` request answers with: the issuers double as scriptable sign-in providers
//     (their `authorization_endpoint` is never visited: tests read state and nonce off the URL).
// The issuer named `keyless` points its jwks_uri at a closed port: its keys are unreachable.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWTPayload } from "jose";
import { freePort } from "./satchel-process.ts";

export interface CiIssuer {
  url: string;
  close(): Promise<void>;
}

export type Forgery = "none" | "hs256" | "unlisted-key";

export async function startCiIssuer(): Promise<CiIssuer> {
  const signing = await generateKeyPair("RS256", { extractable: true });
  const unlisted = await generateKeyPair("RS256", { extractable: true });
  const publicJwk = { ...(await exportJWK(signing.publicKey)), kid: "ci-key-1", alg: "RS256", use: "sig" };
  const closedPort = await freePort();
  let base = "";
  const idTokens: string[] = [];

  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      void answer(request.url ?? "/", Buffer.concat(chunks).toString("utf8"), request.headers.authorization).then(([status, body]) => {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(body === null ? undefined : JSON.stringify(body));
      });
    });
  });

  async function answer(target: string, body: string, authorization?: string): Promise<[number, unknown]> {
    const { pathname: path, searchParams } = new URL(target, base);
    if (path === "/_actions/token") {
      if (!/^bearer \S+/i.test(authorization ?? "")) return [401, { message: "Bad credentials" }];
      const claims = JSON.parse(Buffer.from(searchParams.get("claims") ?? "", "base64url").toString("utf8")) as JWTPayload;
      const iat = Math.floor(Date.now() / 1000);
      return [200, { count: 1, value: await sign({ iss: `${base}/github`, iat, nbf: iat, exp: iat + 300, jti: crypto.randomUUID(), ...claims, aud: searchParams.get("audience") ?? undefined }) }];
    }
    if (path === "/_control/id-token") {
      const { issuer, claims, forge } = JSON.parse(body) as { issuer: string; claims: JWTPayload; forge?: Forgery };
      idTokens.push(await sign({ iss: `${base}/${issuer}`, ...claims }, forge));
      return [204, null];
    }
    if (/^\/[a-z-]+\/token$/.test(path)) return idTokens.length ? [200, { access_token: "opaque", token_type: "Bearer", id_token: idTokens.shift() }] : [400, { error: "invalid_grant" }];
    if (path === "/_control/sign") {
      const { issuer, claims, forge } = JSON.parse(body) as { issuer: string; claims: JWTPayload; forge?: Forgery };
      return [200, { value: await sign({ iss: `${base}/${issuer}`, ...claims }, forge) }];
    }
    const discovery = /^\/([a-z-]+)\/\.well-known\/openid-configuration$/.exec(path);
    if (discovery) {
      const issuer = `${base}/${discovery[1]}`;
      const jwksUri = discovery[1] === "keyless" ? `http://127.0.0.1:${closedPort}/jwks` : `${issuer}/.well-known/jwks`;
      return [200, { issuer, jwks_uri: jwksUri, authorization_endpoint: `${issuer}/authorize`, token_endpoint: `${issuer}/token`, subject_types_supported: ["public", "pairwise"], response_types_supported: ["id_token"], id_token_signing_alg_values_supported: ["RS256"] }];
    }
    if (/^\/[a-z-]+\/\.well-known\/jwks$/.test(path)) return [200, { keys: [publicJwk] }];
    return [404, { error: "not found" }];
  }

  async function sign(payload: JWTPayload, forge?: Forgery): Promise<string> {
    if (forge === "none") return `${encode({ alg: "none", typ: "JWT" })}.${encode(payload)}.`;
    if (forge === "hs256") return new SignJWT(payload).setProtectedHeader({ alg: "HS256", kid: "ci-key-1" }).sign(new TextEncoder().encode(JSON.stringify(publicJwk)));
    const key: CryptoKey = forge === "unlisted-key" ? unlisted.privateKey : signing.privateKey;
    return new SignJWT(payload).setProtectedHeader({ alg: "RS256", kid: "ci-key-1", typ: "JWT" }).sign(key);
  }

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url: base, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

function encode(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString("base64url");
}
