// Composer's stability order (BasePackage::STABILITIES: stable 0, RC 5, beta 10, alpha 15, dev 20),
// for a minimum stability: a version passes when it is at least as stable as the floor.
import { parseStability, type Stability } from "./version-parser.ts";

export type { Stability };

const RANK: Record<Stability, number> = { stable: 0, RC: 5, beta: 10, alpha: 15, dev: 20 };

export function isStability(value: unknown): value is Stability {
  return typeof value === "string" && Object.hasOwn(RANK, value);
}

/** Whether `version` (pretty or normalized) is at least as stable as `floor`. */
export function meetsStability(version: string, floor: Stability): boolean {
  return RANK[parseStability(version)] <= RANK[floor];
}
