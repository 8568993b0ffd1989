// The release-date parsing Composer does with `new \DateTime($time, new \DateTimeZone('UTC'))`
// (ValidatingArrayLoader and ArrayLoader) and the `format(DATE_RFC3339)` ArrayDumper writes.
//
// PHP's parser accepts a whole language ("next monday", "Jan 2 2024", "20240102"...). We accept
// the ISO-8601 subset below, on which PHP gives the same instant and the same printed offset; other
// strings are rejected even when PHP would take them (a relative date in a composer.json is never
// what its author meant, and depends on when it is read).

export interface PhpDate {
  /** Unix time in seconds. */
  timestamp: number;
  /** `Y-m-d\TH:i:sP`, in the offset the string gave (UTC when none). */
  rfc3339: string;
}

const WS = "[ \\t\\n]*";
const DATE = "(\\d{4})-(0\\d|1[0-2])-([0-2]\\d|3[01])";
const TIME = "(?:[Tt ]([01]\\d|2[0-4]):([0-5]\\d)(?::([0-5]\\d|60)(?:\\.\\d+)?)?)?";
const ZONE = "(?: ?(?:[Zz]|UTC|utc|GMT|gmt)| ?([+-])(0\\d|1[0-4]):?([0-5]\\d))?";
const ISO_RE = new RegExp(`^${WS}${DATE}${TIME}${ZONE}${WS}$`);
const TIMESTAMP_RE = new RegExp(`^${WS}@(-?\\d{1,11})${WS}$`);

/** `new \DateTime($value, UTC)` restricted to the subset above; null when it is not in it. */
export function parsePhpDate(value: string): PhpDate | null {
  const stamp = TIMESTAMP_RE.exec(value);
  if (stamp) return fromWallClock(Number(stamp[1]) * 1000, 0);
  const m = ISO_RE.exec(value);
  if (!m) return null;
  const [, year, month, day, hour, minute, second, sign, offsetHours, offsetMinutes] = m;
  const wall = new Date(0);
  // setUTCFullYear, unlike Date.UTC, does not map years 0-99 to 1900-1999. Day 00, month 00,
  // hour 24 and second 60 roll over exactly as PHP's DateTime does.
  wall.setUTCFullYear(Number(year), Number(month) - 1, Number(day));
  wall.setUTCHours(Number(hour ?? 0), Number(minute ?? 0), Number(second ?? 0), 0);
  const offset = sign ? (sign === "-" ? -1 : 1) * (Number(offsetHours) * 60 + Number(offsetMinutes)) : 0;
  return fromWallClock(wall.getTime(), offset);
}

/** DATE_RFC3339 of an instant, in UTC: how a repository-supplied release time is published. */
export function formatRfc3339Utc(date: Date): string {
  return formatWallClock(date.getTime(), 0);
}

function fromWallClock(wallMs: number, offsetMinutes: number): PhpDate | null {
  if (!Number.isFinite(wallMs) || Math.abs(wallMs) > 8.64e15) return null;
  return {
    timestamp: Math.floor(wallMs / 1000) - offsetMinutes * 60,
    rfc3339: formatWallClock(wallMs, offsetMinutes),
  };
}

function formatWallClock(wallMs: number, offsetMinutes: number): string {
  const d = new Date(wallMs);
  const year = d.getUTCFullYear();
  const y = year < 0 ? `-${pad(-year, 4)}` : pad(year, 4);
  const sign = offsetMinutes < 0 ? "-" : "+";
  const abs = Math.abs(offsetMinutes);
  return (
    `${y}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}` +
    `T${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}` +
    `${sign}${pad(Math.floor(abs / 60), 2)}:${pad(abs % 60, 2)}`
  );
}

function pad(value: number, width: number): string {
  return String(value).padStart(width, "0");
}
