// One handler for every incoming hook: bounded body, JSON, a supported event, the packages the
// repository URL names, the sender's proof, the replay guard (delivery id, and the hash of a
// signed body), then one queued job per package
// (coalesced with a job already waiting), except for packages whose updates are disabled; a
// security check for packages monitored as applications. A pull-request event queues
// composer.lock reviews instead (integrations/lock-review).
// Answers in milliseconds: the work is the job.
import type { AppContext } from "../../http/context.ts";
import { readRequestBytes } from "../../http/bounded-body.ts";
import { badRequest, notFound } from "../../http/errors.ts";
import type { JsonObject } from "../../http/json-body.ts";
import { redactUrl } from "../../http/redact.ts";
import { receivePullRequest } from "../../integrations/lock-review/receive-pull-request.ts";
import { checkAfterPush } from "../../integrations/security/check-after-push.ts";
import { enqueueJob } from "../../jobs/job-store.ts";
import { webhookConfig } from "../webhook-config.ts";
import { authorizeHook } from "./authorize-hook.ts";
import { packagesForRepositories } from "./find-packages.ts";
import type { IncomingProvider } from "./providers/provider.ts";
import { repeatedDelivery } from "./receipt-store.ts";

export function receiveHook(provider: IncomingProvider) {
  return async function receiveHook(c: AppContext): Promise<Response> {
    const services = c.get("services");
    const body = await readHookBody(c, webhookConfig(services.config).maxBodyBytes);
    const event = provider.event(c.req.raw.headers);
    if (!event) throw badRequest(`The request names no event: is this hook set up as a ${provider.id} webhook?`, "missing_event");
    const intent = provider.interpret(event, parsePayload(body, provider));
    const candidates = await packagesForRepositories(services, intent.urls);
    const { packages: allowed, bySignature } = await authorizeHook(c, provider, body, candidates);
    if (intent.kind === "ping") return c.json({ status: "success", message: "pong", jobs: [] });
    if (allowed.length === 0) {
      throw notFound(`No package is registered for ${redactUrl(intent.urls[0] ?? "this repository")}; add it with POST /api/create-package first.`);
    }
    // Recorded only once the delivery will be acted on, so that a redelivery after a 404 works.
    const deliveryId = provider.deliveryId(c.req.raw.headers);
    const repeated = await repeatedDelivery(services, provider.id, deliveryId, bySignature ? body : null);
    if (repeated) return c.json({ status: "ignored", duplicate: true, message: repeated, jobs: [] });
    if (intent.kind === "pull-request") return receivePullRequest(c, allowed, intent.pullRequest);
    const active = allowed.filter((pkg) => !pkg.updatesDisabled);
    const disabled = allowed.filter((pkg) => pkg.updatesDisabled).map((pkg) => pkg.name);
    const jobs = await Promise.all(active.map((pkg) => enqueueJob(services, "update-package", pkg.id, { force: false })));
    const securityChecks = await checkAfterPush(c, allowed);
    services.log.info("webhook queued updates", { provider: provider.id, event, packages: active.map((pkg) => pkg.name), disabled, delivery: deliveryId });
    // Still a 202: the hook is fine, the package's settings say not to act on it.
    const message = disabled.length ? { message: `Updates are disabled for ${disabled.join(", ")}.` } : {};
    return c.json({ status: "success", ...message, jobs: jobs.map((job) => job.id), ...(securityChecks.length ? { securityChecks } : {}) }, 202);
  };
}

async function readHookBody(c: AppContext, maxBytes: number): Promise<Uint8Array> {
  const body = await readRequestBytes(c, maxBytes);
  if (body.length === 0) throw badRequest("The request body is empty: send the provider's JSON payload.", "invalid_json");
  return body;
}

/**
 * JSON whatever the content type says (curl -d labels JSON as a form, and Packagist reads it
 * all the same), else GitHub's form encoding (`payload=<json>`).
 */
function parsePayload(body: Uint8Array, provider: IncomingProvider): JsonObject {
  const text = new TextDecoder().decode(body);
  const value = parseJson(text) ?? parseJson(new URLSearchParams(text).get("payload"));
  if (value && typeof value === "object" && !Array.isArray(value)) return value as JsonObject;
  const expected = provider.id === "generic" ? '{"repository": {"url": "<git url>"}}' : `${provider.id}'s JSON push payload (content type application/json)`;
  throw badRequest(`The hook payload must be a JSON object: send ${expected}.`, "invalid_json");
}

function parseJson(text: string | null): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}
