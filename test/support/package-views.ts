// What one package looks like from outside, read from every endpoint that shows its versions:
// p2 (tags and ~dev), /api/packages/{name}, list.json, packages.json, and every zipball p2 names.
// The fault and kill tests assert these agree, so a half-written state cannot hide anywhere.
import { unzipSync } from "fflate";
import { expect } from "vitest";

/** GET `path` (e.g. "/p2/acme/lib.json") as an admin, over app.request() or a real socket. */
export type AdminGet = (path: string) => Promise<Response>;

/**
 * The release versions `name` shows, sorted, identical across p2, the REST API and list.json,
 * every zipball served whole. null when the package is visible nowhere; [] when it exists
 * without versions.
 */
export async function visibleVersions(get: AdminGet, name: string): Promise<string[] | null> {
  // The endpoints are read at once: a change committing meanwhile may show on some and not yet on
  // others. Read the REST API's versions before and after; only a read they bracket unchanged is judged.
  for (let attempt = 1; ; attempt++) {
    const before = await apiVersions(get, name);
    const reads = await Promise.all([get(`/p2/${name}.json`), get(`/p2/${name}~dev.json`), get(`/api/packages/${name}`), get("/packages/list.json"), get("/packages.json")]);
    const after = await apiVersions(get, name);
    if (JSON.stringify(before) === JSON.stringify(after) || attempt >= 20) return judge(reads, get, name);
  }
}

async function apiVersions(get: AdminGet, name: string): Promise<string[] | null> {
  const response = await get(`/api/packages/${name}`);
  if (response.status !== 200) return null;
  return sorted(((await response.json()) as { versions: { version: string }[] }).versions.map((entry) => entry.version));
}

async function judge([tags, dev, api, list, root]: Response[], get: AdminGet, name: string): Promise<string[] | null> {
  expect(root.status).toBe(200);
  const listed = ((await list.json()) as { packageNames: string[] }).packageNames.includes(name);
  if (tags.status === 404) {
    expect(dev.status).toBe(404);
    expect(api.status).toBe(404);
    expect(listed).toBe(false);
    return null;
  }
  expect([tags.status, dev.status, api.status]).toEqual([200, 200, 200]);
  const entries = ((await tags.json()) as { packages: Record<string, { version: string; dist?: { url: string } }[]> }).packages[name] ?? [];
  const devEntries = ((await dev.json()) as { packages: Record<string, { version: string }[]> }).packages[name] ?? [];
  const apiVersions = ((await api.json()) as { versions: { version: string }[] }).versions.map((entry) => entry.version);
  const p2Versions = entries.map((entry) => entry.version);
  expect(sorted(apiVersions), "the REST API and p2 disagree").toEqual(sorted([...p2Versions, ...devEntries.map((entry) => entry.version)]));
  for (const entry of entries) {
    expect(entry.dist, `${name} ${entry.version} has a dist`).toBeDefined();
    const zip = await get(new URL(entry.dist!.url).pathname);
    expect(zip.status, `zipball of ${entry.version}`).toBe(200);
    const files = unzipSync(new Uint8Array(await zip.arrayBuffer()));
    expect(Object.keys(files).some((file) => file.endsWith("composer.json")), `zipball of ${entry.version} is whole`).toBe(true);
  }
  expect(listed).toBe(true);
  return sorted(p2Versions);
}

export const sorted = (list: readonly string[]) => [...list].sort();
