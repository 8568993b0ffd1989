// Whether a principal may use a private sub-repository, remembered per catalog snapshot by
// (sub-repository version, roles, grant patterns): all that mayUseSubrepositoryIn reads of the
// principal. A Composer request then costs a lookup, not a scan of the catalog; a new snapshot
// (a write, or the cache TTL) starts afresh, and the old one's answers go with it.
import type { Principal } from "../auth/principal.ts";
import type { CatalogSnapshot } from "../packages/catalog.ts";
import type { Subrepository } from "./subrepository-registry.ts";

const MAX_ENTRIES = 10_000;

export class UsableMemo {
  readonly #bySnapshot = new WeakMap<CatalogSnapshot, Map<string, boolean>>();

  usable(snapshot: CatalogSnapshot, sub: Pick<Subrepository, "id" | "changedClock">, principal: Pick<Principal, "roles" | "grants">, decide: () => boolean): boolean {
    let memo = this.#bySnapshot.get(snapshot);
    if (!memo) this.#bySnapshot.set(snapshot, (memo = new Map()));
    const key = `${sub.id}\n${sub.changedClock}\n${principal.roles.join(",")}\n${principal.grants.map((grant) => grant.pattern).join("\n")}`;
    let usable = memo.get(key);
    if (usable === undefined) {
      usable = decide();
      if (memo.size >= MAX_ENTRIES) memo.clear();
      memo.set(key, usable);
    }
    return usable;
  }
}
