// How dates, durations and counts read on the pages (UTC, like the stored data).
export function day(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "" : new Date(ms).toISOString().slice(0, 10);
}

export function dateTime(ms: number | null | undefined): string {
  return ms === null || ms === undefined ? "" : new Date(ms).toISOString().slice(0, 16).replace("T", " ");
}

export function dateTimeIso(iso: string | null | undefined): string {
  if (!iso) return "";
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? dateTime(ms) : iso;
}

export function duration(startMs: number | null, endMs: number | null): string {
  if (startMs === null || endMs === null) return "";
  const ms = Math.max(0, endMs - startMs);
  if (ms < 1000) return `${ms} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60_000)} min ${Math.round((ms % 60_000) / 1000)} s`;
}

export function count(n: number): string {
  return n.toLocaleString("en-US");
}

/** Only http(s) links are made clickable: a `javascript:` homepage must never become a link. */
export function safeHref(url: unknown): string | null {
  if (typeof url !== "string") return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === "https:" || parsed.protocol === "http:" ? parsed.href : null;
  } catch {
    return null;
  }
}
