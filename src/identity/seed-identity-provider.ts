// The sign-in provider named by SATCHEL_OIDC_* is created at the first start, with the same
// checks as the API; afterwards admins own it (a provider with that slug is never overwritten).
import { requiredString } from "../http/json-body.ts";
import type { Services } from "../services.ts";
import { providerSettings } from "./identity-provider-input.ts";
import { IdentityProviderStore, type ProviderSettings } from "./identity-provider-store.ts";

export async function seedIdentityProvider(services: Services): Promise<void> {
  const body = services.config.identityProvider;
  if (!body) return;
  const store = new IdentityProviderStore(services.db, services.config.encryptionKey);
  if (await store.find({ slug: String(body.slug) })) return;
  const settings = providerSettings(body, true, services.config.allowInsecureOidcIssuers === true) as ProviderSettings;
  await store.create(settings, requiredString(body, "clientSecret", 1024), services.now()).catch((error: unknown) => {
    // Another process seeded it first.
    if (!String(error).includes("taken")) throw error;
  });
  services.log.info("created the sign-in provider from SATCHEL_OIDC_*", { slug: settings.slug });
}
