// A password the local account does not take may be the directory's (SATCHEL_LDAP_*): the
// directory says who it is, and the identity becomes a Satchel user like a provider's does
// (linked by its entryUUID, sign-up, required groups, groups mapped to roles). The settings come
// from the environment and are written to the `ldap` provider row at every use.
import { recordAudit } from "../audit/audit-log.ts";
import { findUser, type UserRow } from "../users/user-store.ts";
import type { Services } from "../services.ts";
import { resolveAccount } from "./external-account.ts";
import { IdentityProviderStore, type IdentityProvider } from "./identity-provider-store.ts";

export const LDAP_SLUG = "ldap";

export async function directoryUser(services: Services, username: string, password: string, ip: string): Promise<UserRow | null> {
  if (!services.ldap || !services.config.ldap) return null;
  const outcome = await services.ldap.authenticate(username, password);
  if (!outcome.ok) {
    if (outcome.reason === "unreachable") {
      services.log.warn("LDAP sign-in: the directory is unreachable", { message: outcome.message });
      await recordAudit(services, { actor: null, action: "sign-in failed", target: LDAP_SLUG, details: { reason: outcome.message }, ip });
    }
    return null;
  }
  const store = new IdentityProviderStore(services.db, services.config.encryptionKey);
  const account = await resolveAccount(services, store, await directoryProvider(services, store), outcome.claims, null);
  if (!account.ok) {
    await recordAudit(services, { actor: null, action: "sign-in refused", target: LDAP_SLUG, details: { reason: account.reason, subject: outcome.claims.sub, username }, ip });
    return null;
  }
  return (await findUser(services.db, account.userId)) ?? null;
}

async function directoryProvider(services: Services, store: IdentityProviderStore): Promise<IdentityProvider> {
  const ldap = services.config.ldap as NonNullable<Services["config"]["ldap"]>;
  const settings = { allowSignUp: ldap.allowSignUp, requiredGroups: ldap.requiredGroups, roleMappings: ldap.roleMappings };
  const existing = await store.find({ slug: LDAP_SLUG });
  if (existing) return (await store.update(existing.id, settings)) ?? existing;
  const created = { kind: "ldap", slug: LDAP_SLUG, name: "Company directory", issuer: ldap.url, clientId: "-", scopes: "-", allowedDomains: [], groupsClaim: "groups", defaultRole: "ROLE_USER", groupMappings: [], loginExpression: null, ...settings };
  // The bind password stays in the environment: nothing secret is sealed here.
  return store.create(created, "-", services.now()).catch(async () => (await store.find({ slug: LDAP_SLUG })) as IdentityProvider);
}
