// /api/trusted-publishers (admins and maintainers declare which CI identity may publish a
// package) and /api/oidc/token (a CI job trades its OIDC token for a 15-minute upload token).
import { Hono } from "hono";
import { currentPrincipal, requireScope } from "../auth/middleware.ts";
import { isValidPackageName } from "../composer-rules/package-name.ts";
import { clientIp, type AppEnv } from "../http/context.ts";
import { AppError, badRequest, notFound } from "../http/errors.ts";
import { readJsonObject, requiredString, type JsonObject } from "../http/json-body.ts";
import { idParams } from "../http/route-params.ts";
import { MAX_CI_TOKEN_LENGTH } from "./ci-token-verifier.ts";
import { claimPatternsProblem } from "./claim-patterns.ts";
import { issuerUrlProblem, normalizeIssuer } from "./issuer-url.ts";
import { exchangeCiToken } from "./trusted-publishing.ts";
import { TrustedPublisherStore, type NewTrustedPublisher, type TrustedPublisher } from "./trusted-publisher-store.ts";

export function trustedPublishingRoutes() {
  const api = new Hono<AppEnv>();
  api.use("/trusted-publishers", requireScope("packages:write"));
  api.use("/trusted-publishers/*", requireScope("packages:write"));

  api.get("/trusted-publishers", async (c) => {
    const wanted = c.req.query("package");
    const rows = await new TrustedPublisherStore(c.get("services").db).list(wanted || undefined);
    return c.json({ trustedPublishers: rows.map(publisherView) });
  });

  api.post("/trusted-publishers", async (c) => {
    const services = c.get("services");
    const input = publisherInput(await readJsonObject(c), currentPrincipal(c).userId, services.config.allowInsecureOidcIssuers === true);
    const stored = await new TrustedPublisherStore(services.db).declare(input, services.now());
    return c.json(publisherView(stored), 201);
  });

  api.delete("/trusted-publishers/:id", idParams("id"), async (c) => {
    const removed = await new TrustedPublisherStore(c.get("services").db).remove(c.req.valid("param").id);
    if (!removed) throw notFound("No such trusted publisher.");
    return c.body(null, 204);
  });

  api.post("/oidc/token", async (c) => {
    const services = c.get("services");
    const body = await readJsonObject(c);
    const token = requiredString(body, "token", MAX_CI_TOKEN_LENGTH);
    const wanted = body.package === undefined ? undefined : requiredString(body, "package");
    const ip = clientIp(c);
    try {
      const issued = await exchangeCiToken(services, new TrustedPublisherStore(services.db), token, wanted, ip);
      return c.json({ token: issued.token, expiresAt: issued.expiresAt, package: issued.package }, 201);
    } catch (error) {
      // Failed exchanges count like failed credentials: a guesser gets 429s.
      if (error instanceof AppError && error.status === 403 && services.authFailures.hit(ip, services.now())) {
        throw new AppError(429, "rate_limited", "Too many failed token exchanges. Try again later.");
      }
      throw error;
    }
  });

  return api;
}

function publisherInput(body: JsonObject, createdBy: number, allowInsecure: boolean): NewTrustedPublisher {
  const packageName = requiredString(body, "package");
  if (!isValidPackageName(packageName)) throw badRequest(`"${packageName.slice(0, 120)}" is not a valid package name (lowercase vendor/name).`, "invalid_name");
  const issuer = normalizeIssuer(requiredString(body, "issuer", 500));
  const issuerProblem = issuerUrlProblem(issuer, allowInsecure);
  if (issuerProblem) throw badRequest(`"issuer" ${issuerProblem}.`, "invalid_issuer");
  const audience = requiredString(body, "audience", 255);
  const claimsProblem = claimPatternsProblem(body.claims);
  if (claimsProblem) throw badRequest(claimsProblem, "invalid_claims");
  return { packageName, issuer, audience, claims: body.claims as Record<string, string>, createdBy };
}

function publisherView(row: TrustedPublisher) {
  return {
    id: row.id,
    package: row.packageName,
    issuer: row.issuer,
    audience: row.audience,
    claims: row.claims,
    createdBy: row.createdBy,
    createdAt: new Date(row.createdAt).toISOString(),
  };
}
