// Secret comparison that takes the same time wherever the inputs differ.
import { utf8 } from "./encoding.ts";

export function constantTimeEqual(a: Uint8Array | string, b: Uint8Array | string): boolean {
  const left = typeof a === "string" ? utf8(a) : a;
  const right = typeof b === "string" ? utf8(b) : b;
  let difference = left.length ^ right.length;
  for (let i = 0; i < Math.max(left.length, right.length); i++) difference |= (left[i] ?? 0) ^ (right[i] ?? 0);
  return difference === 0;
}
