// Storing credentials: the secret is checked, sealed (AES-GCM) and never returned again.
import { credentials } from "../db/schema.ts";
import { badRequest } from "../http/errors.ts";
import type { Services } from "../services.ts";
import { SecretBox } from "./secret-box.ts";

export const CREDENTIAL_KINDS = ["ssh-key", "github-token", "gitlab-token", "http-basic"] as const;

export async function saveCredential(services: Services, input: { name: string; kind: string; secret: unknown; publicInfo: string | null }) {
  const { name, kind, secret, publicInfo } = input;
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(kind)) throw badRequest(`"kind" must be one of ${CREDENTIAL_KINDS.join(", ")}.`);
  if (typeof secret !== "string" || secret.length === 0 || secret.length > 32 * 1024) throw badRequest('"secret" is required (at most 32 KB).');
  if (kind === "ssh-key" && !/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(secret)) throw badRequest('An "ssh-key" secret must be a PEM/OpenSSH private key.');
  const secretEnc = await new SecretBox(services.config).seal(secret);
  return services.db.orm.insert(credentials).values({ name, kind, publicInfo, secretEnc, createdAt: services.now() }).returning().get();
}
