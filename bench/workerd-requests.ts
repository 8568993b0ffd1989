// The Composer requests bench/workerd-profile.ts and bench/workerd-ab.ts send to the bundle on
// workerd: the bench packages uploaded, then each kind of request Composer makes (p2, a zipball,
// packages.json), sent 12 at a time as Composer downloads. A remembered answer lives at most a
// second (src/cache/answer-memo.ts), so a cold `composer update` a few seconds after the last
// one meets p2 and packages.json through the app, not from memory: the "(app)" kinds ask with
// a query string no request has used before, which is never a remembered answer.
import { packageZip } from "../test/contract/harness.ts";
import { adminToken } from "./api.ts";
import { benchPackages } from "./proxy.ts";

export interface ComposerRequests {
  headers: Record<string, string>;
  /** Each kind of request and the paths one round sends. */
  kinds: [string, string[]][];
}

/** Uploads benchPackages() (4 versions each) and lists the paths Composer would ask for. */
export async function composerRequests(base: string): Promise<ComposerRequests> {
  const token = await adminToken(base);
  const headers = { authorization: "Basic " + btoa(`admin:${token}`), "accept-encoding": "gzip" };
  for (const { name, versions } of benchPackages()) {
    for (const { version, require } of versions) {
      const body = packageZip({ name, description: `${name}, a bench package`, require });
      const response = await fetch(`${base}/api/packages/upload/${name}/${version}`, { method: "PUT", headers: { authorization: `Bearer ${token}`, "content-type": "application/zip" }, body });
      if (response.status !== 201) throw new Error(`upload ${name} ${version}: ${response.status}`);
    }
  }
  const zipballs: string[] = [];
  for (const { name } of benchPackages()) {
    const document = (await (await fetch(`${base}/p2/${name}.json`, { headers })).json()) as { packages: Record<string, { dist: { url: string } }[]> };
    // One version of each package, as one composer update downloads.
    zipballs.push(new URL(document.packages[name]![0]!.dist.url).pathname);
  }
  return {
    headers,
    kinds: [
      ["p2", benchPackages().map(({ name }) => `/p2/${name}.json`)],
      ["p2 (app)", benchPackages().map(({ name }) => `/p2/${name}.json?${FRESH}`)],
      ["zipball", zipballs],
      ["packages.json", Array.from({ length: 50 }, () => "/packages.json")],
      ["packages.json (app)", Array.from({ length: 50 }, () => `/packages.json?${FRESH}`)],
    ],
  };
}

const FRESH = "fresh=";
let fresh = 0;

/** `paths` fetched 12 at a time, bodies read; any status but 200 throws. */
export async function send(base: string, paths: string[], headers: Record<string, string>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: 12 }, async () => {
      while (next < paths.length) {
        const path = paths[next++]!;
        const response = await fetch(base + (path.endsWith(FRESH) ? path + String(++fresh) : path), { headers });
        await response.arrayBuffer();
        if (response.status !== 200) throw new Error(`${response.url}: ${response.status}`);
      }
    }),
  );
}
