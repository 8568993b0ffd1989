// The one error an unacceptable archive gets: 400 `invalid_archive` with a message that names
// the problem (and the entry, when one entry is the problem).
import { AppError } from "../http/errors.ts";

export const invalidArchive = (message: string) => new AppError(400, "invalid_archive", message);

/** An entry name as it may appear in a message: short, control characters made visible. */
export function quotedEntry(name: string): string {
  const visible = name.slice(0, 200).replace(/[\u0000-\u001f\u007f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, "0")}`);
  return `"${visible}${name.length > 200 ? "…" : ""}"`;
}
