// A certified OpenID Provider (npm `oidc-provider`) on 127.0.0.1 for the sign-in tests, with its
// own login and consent pages (devInteractions). The account id typed at its login page decides
// the claims: `name~domain~group1,group2` signs in `name` with the verified email `name@domain`
// and those groups. `POST /_control/groups {"name", "groups"}` changes a person's groups later
// (the same identity, other groups).
import { createServer } from "node:http";
import Provider from "oidc-provider";
import { freePort } from "./satchel-process.ts";

export interface OidcServer {
  issuer: string;
  close(): Promise<void>;
}

export const OIDC_CLIENT = { id: "satchel", secret: "satchel-client-secret" };
/** Slugs the tests configure; each has its redirect URI registered at the provider. */
export const OIDC_TEST_SLUGS = ["acme", "acme-signup", "acme-domains", "acme-groups", "acme-link", "acme-replay", "acme-nonce", "acme-rule"];

export async function startOidcServer(redirectBases: string[] = ["https://repo.example.test"]): Promise<OidcServer> {
  const port = await freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const groupsOf = new Map<string, string[]>();
  const provider = new Provider(issuer, {
    clients: [
      {
        client_id: OIDC_CLIENT.id,
        client_secret: OIDC_CLIENT.secret,
        redirect_uris: redirectBases.flatMap((base) => OIDC_TEST_SLUGS.map((slug) => `${base}/login/oidc/${slug}/callback`)),
        response_types: ["code"],
        grant_types: ["authorization_code"],
        token_endpoint_auth_method: "client_secret_basic",
      },
    ],
    claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["preferred_username", "name"], groups: ["groups"] },
    scopes: ["openid", "email", "profile", "groups"],
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    features: { devInteractions: { enabled: true } },
    cookies: { keys: ["oidc-test-cookie-key"] },
    async findAccount(_ctx, id) {
      const [name = id, domain = "example.test", groups = ""] = id.split("~");
      return {
        accountId: id,
        claims: async () => ({ sub: id, preferred_username: name, name, email: `${name}@${domain}`, email_verified: true, groups: groupsOf.get(name) ?? (groups ? groups.split(",") : []) }),
      };
    },
  });
  const callback = provider.callback();
  const server = createServer((request, response) => {
    if (request.url !== "/_control/groups") return callback(request, response);
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const { name, groups } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { name: string; groups: string[] };
      groupsOf.set(name, groups);
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  return { issuer, close: () => new Promise((resolve) => server.close(() => resolve())) };
}
