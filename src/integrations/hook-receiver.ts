// POST /api/integrations/{id}/hook: the organization webhook. The signature is checked first,
// with the provider's own scheme and the integration's secret (in constant time): a bad or
// missing one is a 401 and nothing is read further or queued. Then a push updates the
// repository's package, a pull request or a default-branch push goes to the repository-event
// handlers, and a change to the organization's repositories starts a sync step. A replayed
// delivery (its delivery id, or its signed body, seen before by this integration) is answered
// as a duplicate and starts nothing.
import { SecretBox } from "../credentials/secret-box.ts";
import { readRequestBytes } from "../http/bounded-body.ts";
import { runInBackground, type AppContext } from "../http/context.ts";
import { AppError, badRequest, notFound } from "../http/errors.ts";
import type { JsonObject } from "../http/json-body.ts";
import { enqueueJob } from "../jobs/job-store.ts";
import { findPackageByName, packageNameByRepository } from "../packages/package-store.ts";
import type { Services } from "../services.ts";
import { bitbucket } from "../webhooks/incoming/providers/bitbucket.ts";
import { gitea } from "../webhooks/incoming/providers/gitea.ts";
import { github } from "../webhooks/incoming/providers/github.ts";
import { gitlab } from "../webhooks/incoming/providers/gitlab.ts";
import type { IncomingProvider } from "../webhooks/incoming/providers/provider.ts";
import { repeatedDelivery } from "../webhooks/incoming/receipt-store.ts";
import { matchingSecrets } from "../webhooks/incoming/verify-signature.ts";
import { webhookConfig } from "../webhooks/webhook-config.ts";
import { integrationToken } from "./integration-client.ts";
import { findIntegration, findIntegrationRepository, type IntegrationRow } from "./integration-store.ts";
import { orgEventOf, type OrgEvent } from "./org-events.ts";
import type { ProviderKind } from "./repository-access.ts";
import { dispatchRepositoryEvent } from "./repository-events.ts";
import { runSyncStep, startSync } from "./sync-step.ts";

const SIGNATURES: Record<ProviderKind, IncomingProvider> = { github, gitlab, gitea, bitbucket };

export async function receiveIntegrationHook(c: AppContext, id: number): Promise<Response> {
  const services = c.get("services");
  const row = await findIntegration(services.db, id);
  if (!row) throw notFound("No such integration.");
  const body = await readRequestBytes(c, webhookConfig(services.config).maxBodyBytes);
  const scheme = SIGNATURES[row.provider as ProviderKind];
  const proof = scheme.proof(c.req.raw.headers);
  const secret = await new SecretBox(services.config).open(row.hookSecretEnc);
  if (!proof || (await matchingSecrets(proof, [{ secret }], body)).length === 0) {
    throw new AppError(401, "invalid_signature", `The delivery is not signed with this integration's secret (${scheme.proofHeader ?? "signature"} header).`);
  }
  const event = orgEventOf(row.provider as ProviderKind, c.req.raw.headers, parsePayload(body));
  // Receipts are kept per integration: a repository hook and the org hook can carry the same body.
  const repeated = await repeatedDelivery(services, `integration:${row.id}`, scheme.deliveryId(c.req.raw.headers), body);
  if (repeated) return c.json({ status: "ignored", duplicate: true, message: repeated, event: event.kind, jobs: [] });
  const jobs = await actOn(c, services, row, event);
  return c.json({ status: "success", event: event.kind, jobs }, event.kind === "ping" || event.kind === "ignored" ? 200 : 202);
}

async function actOn(c: AppContext, services: Services, row: IntegrationRow, event: OrgEvent): Promise<string[]> {
  if (event.kind === "repositories-changed") {
    const started = await startSync(services, row);
    runInBackground(c, runSyncStep(services, started));
    return [];
  }
  if (event.kind !== "push" && event.kind !== "pull-request") return [];
  const repo = await findIntegrationRepository(services.db, row.id, event.repository.providerId);
  const name = repo?.packageRepository ? await packageNameByRepository(services.db, repo.packageRepository) : undefined;
  const pkg = name ? await findPackageByName(services.db, name) : undefined;
  if (!pkg) return [];
  const access = { provider: row.provider as ProviderKind, apiUrl: row.apiUrl, fullName: event.repository.fullName, providerId: event.repository.providerId, token: () => integrationToken(services, row) };
  if (event.kind === "pull-request") {
    const review = event.pullRequest ? await dispatchRepositoryEvent(services, pkg, access, { kind: "pull-request", pullRequest: event.pullRequest }) : null;
    if (!review) return [];
    runInBackground(c, review.run);
    return [review.id];
  }
  const jobs: string[] = [];
  if (event.branch !== null && repo && event.branch === repo.defaultBranch) {
    const check = await dispatchRepositoryEvent(services, pkg, access, { kind: "default-branch-push", branch: event.branch });
    if (check) {
      runInBackground(c, check.run);
      jobs.push(check.id);
    }
  }
  if (!pkg.updatesDisabled) jobs.push((await enqueueJob(services, "update-package", pkg.id, { force: false })).id);
  return jobs;
}

function parsePayload(body: Uint8Array): JsonObject {
  try {
    const value = JSON.parse(new TextDecoder().decode(body)) as unknown;
    if (value && typeof value === "object" && !Array.isArray(value)) return value as JsonObject;
  } catch {
    // Answered below.
  }
  throw badRequest("The hook payload must be a JSON object (content type application/json).", "invalid_json");
}
