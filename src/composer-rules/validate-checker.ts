// The property checks ValidatingArrayLoader is built from (validateString, validateArray,
// validateFlatArray, validateRegex, validateUrl; composer/composer
// src/Composer/Package/Loader/ValidatingArrayLoader.php), with its habit of recording an error or
// warning and unsetting the offending property so the loader never sees it.
import { filterUrl } from "./php-filters.ts";
import {
  isPhpArray, isSet, phpCount, phpEntries, phpTrim, phpType, pregFullMatch,
  type JsonObject, type JsonValue, type PhpArray,
} from "./php-values.ts";

export class Checker {
  readonly config: JsonObject;
  readonly errors: string[] = [];
  readonly warnings: string[] = [];

  constructor(config: JsonObject) {
    this.config = config;
  }

  get(property: string): JsonValue | undefined {
    return this.config[property];
  }

  unset(property: string): void {
    delete this.config[property];
  }

  error(message: string): void {
    this.errors.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** True when the property is a non-blank string. */
  validateString(property: string, mandatory = false): boolean {
    const value = this.config[property];
    if (isSet(value) && typeof value !== "string") {
      this.error(`${property} : should be a string, ${phpType(value)} given`);
      this.unset(property);
      return false;
    }
    if (typeof value !== "string" || phpTrim(value) === "") {
      if (mandatory) this.error(`${property} : must be present`);
      this.unset(property);
      return false;
    }
    return true;
  }

  /** True when the property is a non-empty array (JSON list or object). */
  validateArray(property: string, mandatory = false): boolean {
    const value = this.config[property];
    if (isSet(value) && !isPhpArray(value)) {
      this.error(`${property} : should be an array, ${phpType(value)} given`);
      this.unset(property);
      return false;
    }
    if (!isPhpArray(value) || phpCount(value) === 0) {
      if (mandatory) this.error(`${property} : must be present and contain at least one element`);
      this.unset(property);
      return false;
    }
    return true;
  }

  /** An array of strings or numbers, each optionally matching `pattern` (a miss is a warning). */
  validateFlatArray(property: string, pattern?: RegExp, source?: string): boolean {
    if (!this.validateArray(property)) return false;
    const array = this.config[property] as PhpArray;
    let pass = true;
    for (const [key, value] of phpEntries(array)) {
      if (typeof value !== "string" && typeof value !== "number") {
        this.error(`${property}.${key} : must be a string or int, ${phpType(value)} given`);
        unsetKey(array, key);
        pass = false;
        continue;
      }
      if (pattern && !pregFullMatch(pattern, String(value))) {
        this.warn(`${property}.${key} : invalid value (${value}), must match ${source}`);
        unsetKey(array, key);
        pass = false;
      }
    }
    compact(this.config, property);
    return pass;
  }

  /** A string matching `pattern` (PCRE source `source`); a mismatch is a warning unless mandatory. */
  validateRegex(property: string, pattern: RegExp, source: string, mandatory = false): boolean {
    if (!this.validateString(property, mandatory)) return false;
    const value = this.config[property] as string;
    if (!pregFullMatch(pattern, value)) {
      const message = `${property} : invalid value (${value}), must match ${source}`;
      if (mandatory) this.error(message);
      else this.warn(message);
      this.unset(property);
      return false;
    }
    return true;
  }

  /** A string that is an http(s) URL; anything else is dropped with a warning. */
  validateUrl(property: string, mandatory = false): boolean {
    if (!this.validateString(property, mandatory)) return false;
    const value = this.config[property] as string;
    if (!filterUrl(value)) {
      this.warn(`${property} : invalid value (${value}), must be an http/https URL`);
      this.unset(property);
      return false;
    }
    return true;
  }
}

/**
 * unset($array[$key]) on a decoded JSON array. Lists are marked with a hole (undefined) and
 * compacted later, so the keys of later elements stay what PHP reports while iterating.
 */
export function unsetKey(array: PhpArray, key: string): void {
  if (Array.isArray(array)) (array as Array<JsonValue | undefined>)[Number(key)] = undefined;
  else delete array[key];
}

/** Closes the holes unsetKey left in a list (PHP would keep the gaps; nothing we publish needs them). */
export function compact(container: JsonObject | PhpArray, key: string): void {
  const value = (container as Record<string, unknown>)[key];
  if (Array.isArray(value)) {
    (container as Record<string, unknown>)[key] = value.filter((item) => item !== undefined);
  }
}
