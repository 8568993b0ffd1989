// The public HTTP API as a client uses it: a token from the admin password, uploads, and the
// p2 document fetched and checked before anything is measured against it.
import { ADMIN } from "./servers.ts";
import type { Release } from "./fixtures.ts";

export async function adminToken(base: string): Promise<string> {
  const response = await fetch(`${base}/api/auth/token`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(ADMIN),
  });
  if (response.status !== 201) throw new Error(`POST /api/auth/token: ${response.status} ${await response.text()}`);
  return ((await response.json()) as { token: string }).token;
}

async function upload(base: string, token: string, release: Release): Promise<void> {
  const url = `${base}/api/packages/upload/${release.name}/${encodeURIComponent(release.version)}`;
  for (let attempt = 1; ; attempt++) {
    const response = await fetch(url, {
      method: "PUT",
      headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/zip" },
      body: release.zip,
    });
    if (response.status === 201) return;
    const text = await response.text();
    // 409 duplicate on a retry means the first attempt landed.
    if (response.status === 409 && attempt > 1 && text.includes("duplicate_version")) return;
    // A busy dev server (wrangler) may drop one now and then: retry 5xx a few times.
    if (response.status < 500 || attempt >= 3) throw new Error(`upload ${release.name} ${release.version}: ${response.status} ${text}`);
  }
}

/** Uploads `releases` with `concurrency` requests in flight; returns the elapsed seconds. */
export async function uploadAll(base: string, token: string, releases: Release[], concurrency: number): Promise<number> {
  const started = performance.now();
  let next = 0;
  const worker = async () => {
    while (next < releases.length) await upload(base, token, releases[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, releases.length) }, worker));
  return (performance.now() - started) / 1000;
}

/** Uploads in order (a package's versions must not race each other's document rebuild). */
export async function uploadInOrder(base: string, token: string, releases: Release[]): Promise<number> {
  return uploadAll(base, token, releases, 1);
}

/**
 * GET /p2/{name}.json with the token; fails loudly unless it is a 200 JSON document listing
 * `versions` releases of `name`. Returns the exact bytes served.
 */
export async function verifiedP2(base: string, token: string, name: string, versions: number): Promise<Uint8Array> {
  const get = () => fetch(`${base}/p2/${name}.json`, { headers: { Authorization: `Bearer ${token}` } });
  // One retry on a network error: the pooled keep-alive socket may have been closed by the
  // server while wrk ran (its idle timeout), a client-side race unrelated to what is measured.
  const response = await get().catch(() => get());
  const bytes = new Uint8Array(await response.arrayBuffer());
  const text = new TextDecoder().decode(bytes);
  if (response.status !== 200) throw new Error(`GET ${base}/p2/${name}.json: ${response.status} ${text.slice(0, 300)}`);
  if (!response.headers.get("content-type")?.includes("application/json")) throw new Error(`p2 content-type: ${response.headers.get("content-type")}`);
  const document = JSON.parse(text) as { packages?: Record<string, unknown[]> };
  const listed = document.packages?.[name];
  if (!Array.isArray(listed) || listed.length !== versions) {
    throw new Error(`p2 for ${name} lists ${Array.isArray(listed) ? listed.length : "no"} versions, expected ${versions}`);
  }
  return bytes;
}

/** The unauthenticated request must be refused: proof that the measured path runs the auth check. */
export async function assertAuthRequired(base: string, name: string): Promise<void> {
  const response = await fetch(`${base}/p2/${name}.json`);
  await response.arrayBuffer();
  if (response.status !== 401) throw new Error(`GET /p2/${name}.json without credentials answered ${response.status}, expected 401`);
}
