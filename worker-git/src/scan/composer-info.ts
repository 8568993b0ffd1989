// composer.json at a commit as Composer's VcsDriver reads it (composer/composer
// src/Composer/Repository/Vcs/VcsDriver.php getBaseComposerInformation(), GitDriver.php
// getFileContent(), Json/JsonFile.php parseJson()): a blank file counts as absent, so does a
// document that is not a non-empty array; an empty `time` takes the commit date (composer-reader.ts).
import type { FileAtCommit } from "../drivers/driver.ts";
import { isPhpArray, phpCount, phpEmpty, phpEntries, phpTrim, type JsonObject } from "../../../src/composer-rules/php-values.ts";

export type ComposerInfo =
  /** A decoded composer.json (a JSON list is keyed "0", "1"... as PHP would). */
  | { kind: "data"; data: JsonObject }
  /** Composer's `null`: "no composer file". */
  | { kind: "none"; reason: string }
  /** Composer throws (a parse error): the ref is skipped with this message. */
  | { kind: "error"; reason: string };

export function readComposerInfo(file: FileAtCommit | undefined): ComposerInfo {
  if (!file || file.kind === "missing") return { kind: "none", reason: "no composer.json" };
  if (file.kind === "unreadable") return { kind: "error", reason: `composer.json is unusable: ${file.reason}` };
  // `if (!trim($content)) return null;`: blank, and also "0" (falsy in PHP).
  const trimmed = phpTrim(file.content);
  if (trimmed === "" || trimmed === "0") return { kind: "none", reason: "composer.json is empty" };
  let decoded: unknown;
  try {
    // No BOM stripping: PHP's json_decode() refuses a BOM, and so does JSON.parse.
    decoded = JSON.parse(file.content);
  } catch (e) {
    return { kind: "error", reason: `composer.json is not valid JSON: ${e instanceof Error ? e.message : String(e)}` };
  }
  // `if ([] === $composer || !is_array($composer)) return null;`
  if (!isPhpArray(decoded)) return { kind: "none", reason: "composer.json is not a JSON object" };
  if (phpCount(decoded) === 0) return { kind: "none", reason: "composer.json is an empty object" };
  return { kind: "data", data: Array.isArray(decoded) ? Object.fromEntries(phpEntries(decoded)) : decoded };
}

/** True when Composer fills `time` from the commit (`empty($composer['time'])`). */
export function needsCommitTime(data: JsonObject): boolean {
  return phpEmpty(data.time);
}
