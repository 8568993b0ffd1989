// Ports of the two PHP built-ins ValidatingArrayLoader uses to vet URLs and e-mail addresses:
// parse_url() (php-src ext/standard/url.c, php_url_parse_ex2) as far as scheme and host go, and
// filter_var($x, FILTER_VALIDATE_EMAIL) (ext/filter/logical_filters.c, php_filter_validate_email).
// Both work on bytes, so inputs go through utf8Binary first.
import { fromUtf8Binary, phpEmpty, utf8Binary } from "./php-values.ts";

export interface ParsedUrl {
  scheme?: string;
  host?: string;
}

const isAlpha = (c: string) => /^[A-Za-z]$/.test(c);
const isDigit = (c: string) => c >= "0" && c <= "9";

/** C strtol() base 10 as PHP's port parsing uses it: null when no digits were consumed. */
function strtol(text: string): number | null {
  const match = /^[ \t\n\v\f\r]*([+-]?)(\d+)/.exec(text);
  if (!match) return null;
  const value = Number(match[2]);
  return match[1] === "-" ? -value : value;
}

function strcspnEnd(s: string, from: number, chars: string): number {
  let end = s.length;
  for (const ch of chars) {
    const at = s.indexOf(ch, from);
    if (at !== -1 && at < end) end = at;
  }
  return end;
}

const replaceControlChars = (value: string) => fromUtf8Binary(value.replace(/[\x00-\x1F\x7F]/g, "_"));

/** parse_url($url): false -> null; otherwise the scheme and host components, when present. */
export function parseUrl(url: string): ParsedUrl | null {
  const str = utf8Binary(url);
  const ue = str.length;
  const ret: ParsedUrl = {};
  const startsWithSlashes = (at: number) => at + 1 < ue && str[at] === "/" && str[at + 1] === "/";
  let s = 0;
  let e = str.indexOf(":");
  let port = 0;
  let next: "port" | "host" | "path" = "host";

  if (e > 0) {
    let schemeOk = true;
    for (let p = 0; p < e && schemeOk; p++) {
      const c = str[p];
      if (isAlpha(c) || isDigit(c) || c === "+" || c === "." || c === "-") continue;
      schemeOk = false;
      if (e + 1 < ue && e < strcspnEnd(str, s, "?#")) next = "port";
      else if (startsWithSlashes(s)) {
        s += 2;
        next = "host";
      } else next = "path";
    }
    if (schemeOk) {
      const scheme = replaceControlChars(str.slice(0, e));
      if (e + 1 === ue) return { scheme };
      if (str[e + 1] !== "/") {
        // "a.com:80" is a host and port, not a scheme (the mailto:/zlib: case needs non-digits).
        let p = e + 1;
        while (p < ue && isDigit(str[p])) p++;
        if ((p === ue || str[p] === "/") && p - e < 7) next = "port";
        else return { scheme };
      } else {
        ret.scheme = scheme;
        if (!(e + 2 < ue && str[e + 2] === "/")) return ret;
        s = e + 3;
        if (scheme.toLowerCase() === "file" && e + 3 < ue && str[e + 3] === "/") return ret;
      }
    }
  } else if (e === 0) {
    next = "port";
  } else if (startsWithSlashes(s)) {
    s += 2;
  } else {
    return ret;
  }

  if (next === "path") return ret;
  if (next === "port") {
    const p = e + 1;
    let pp = p;
    while (pp < ue && pp - p < 6 && isDigit(str[pp])) pp++;
    if (pp - p > 0 && pp - p < 6 && (pp === ue || str[pp] === "/")) {
      const value = strtol(str.slice(p, pp));
      if (value === null || value < 0 || value > 65535) return null;
      port = value;
      if (startsWithSlashes(s)) s += 2;
    } else if (p === pp && pp === ue) {
      return null;
    } else if (startsWithSlashes(s)) {
      s += 2;
    } else {
      return ret;
    }
  }

  // parse_host: [user[:pass]@]host[:port] up to the first "/", "?" or "#".
  e = strcspnEnd(str, s, "/?#");
  const at = str.lastIndexOf("@", e - 1);
  if (at >= s && at < e) s = at + 1;
  const ipv6 = s < ue && str[s] === "[" && str[e - 1] === "]";
  const colon = ipv6 ? -1 : str.lastIndexOf(":", e - 1);
  let hostEnd = e;
  if (colon >= s && colon < e) {
    hostEnd = colon;
    if (!port) {
      const digits = str.slice(colon + 1, e);
      if (digits.length > 5) return null;
      if (digits.length > 0) {
        const value = strtol(digits);
        if (value === null || value < 0 || value > 65535) return null;
      }
    }
  }
  if (hostEnd - s < 1) return null;
  ret.host = replaceControlChars(str.slice(s, hostEnd));
  return ret;
}

/** ValidatingArrayLoader::filterUrl: "" passes; otherwise needs a scheme from `schemes` and a host. */
export function filterUrl(value: string, schemes: readonly string[] = ["http", "https"]): boolean {
  if (value === "") return true;
  const bits = parseUrl(value);
  if (bits === null || phpEmpty(bits.scheme) || phpEmpty(bits.host)) return false;
  return schemes.includes(bits.scheme as string);
}

// php_filter_validate_email's regexp1 (the default, non-unicode one), verbatim but for PCRE's `.`
// (any byte but "\n") spelled [^\n], since JS's `.` also refuses "\r".
const EMAIL_RE = new RegExp(
  "^(?!(?:(?:\\x22?\\x5C[\\x00-\\x7E]\\x22?)|(?:\\x22?[^\\x5C\\x22]\\x22?)){255,})" +
    "(?!(?:(?:\\x22?\\x5C[\\x00-\\x7E]\\x22?)|(?:\\x22?[^\\x5C\\x22]\\x22?)){65,}@)" +
    "(?:(?:[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+)|(?:\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|(?:\\x5C[\\x00-\\x7F]))*\\x22))" +
    "(?:\\.(?:(?:[\\x21\\x23-\\x27\\x2A\\x2B\\x2D\\x2F-\\x39\\x3D\\x3F\\x5E-\\x7E]+)|(?:\\x22(?:[\\x01-\\x08\\x0B\\x0C\\x0E-\\x1F\\x21\\x23-\\x5B\\x5D-\\x7F]|(?:\\x5C[\\x00-\\x7F]))*\\x22)))*" +
    "@(?:(?:(?![^\\n]*[^.]{64,})(?:(?:(?:xn--)?[a-z0-9]+(?:-+[a-z0-9]+)*\\.){1,126}){1,}(?:(?:[a-z][a-z0-9]*)|(?:(?:xn--)[a-z0-9]+))(?:-+[a-z0-9]+)*)" +
    "|(?:\\[(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){7})|(?:(?!(?:[^\\n]*[a-f0-9][:\\]]){7,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,5})?)))" +
    "|(?:(?:IPv6:(?:(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){5}:)|(?:(?!(?:[^\\n]*[a-f0-9]:){5,})(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3})?::(?:[a-f0-9]{1,4}(?::[a-f0-9]{1,4}){0,3}:)?)))?" +
    "(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))(?:\\.(?:(?:25[0-5])|(?:2[0-4][0-9])|(?:1[0-9]{2})|(?:[1-9]?[0-9]))){3}))\\]))$",
  "i",
);

/** filter_var($value, FILTER_VALIDATE_EMAIL) !== false. */
export function isValidEmail(value: string): boolean {
  const bytes = utf8Binary(value);
  return bytes.length <= 320 && EMAIL_RE.test(bytes);
}
