// What a store's write needs besides the handle: the clock, and the access caches to forget
// after a change to users or groups. Services has both; stores do not import Services.
import type { Database } from "../ports.ts";

export interface StoreDeps {
  db: Database;
  now(): number;
  forgetAccess(userId?: number): void;
}
