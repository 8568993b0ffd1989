// The sub-repositories a signed-in person can use, for their page: public ones, and private
// ones under the same rule the Composer URL applies (repository-access.ts).
import type { Principal } from "../auth/principal.ts";
import type { Services } from "../services.ts";
import { mayUseSubrepositoryIn } from "./repository-access.ts";
import { subrepositoryUrl } from "./subrepository-view.ts";

export interface UsableSubrepository {
  name: string;
  slug: string;
  isPublic: boolean;
  url: string;
  hostUrl: string | null;
}

export async function usableSubrepositories(services: Services, principal: Principal, base: string): Promise<UsableSubrepository[]> {
  const now = services.now();
  const { packages } = await services.catalog.snapshot(now);
  const protocol = new URL(base).protocol;
  return (await services.subrepositories.all(now))
    .filter((sub) => mayUseSubrepositoryIn(principal, sub, packages))
    .map((sub) => ({ name: sub.name, slug: sub.slug, isPublic: sub.isPublic, url: subrepositoryUrl(base, sub.slug), hostUrl: sub.hostname ? `${protocol}//${sub.hostname}` : null }));
}
