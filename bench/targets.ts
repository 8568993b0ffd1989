// What wrk sends in each measurement, as the clients in question send it: Composer (a token,
// gzip), a plain HTTP client (no Accept-Encoding), and the bad inputs (a malformed header, a
// forged JWT, a well-formed token nobody issued, a package name nobody has).
import { newApiToken } from "../src/auth/token-format.ts";
import { verifiedP2 } from "./api.ts";
import type { Target } from "./measure.ts";
import type { Server } from "./servers.ts";

export interface P2 {
  packageName: string;
  versions: number;
  token: string;
}

export function p2Target(name: string, server: Server, p2: P2, encoding: "gzip" | "identity"): Target {
  const headers: Record<string, string> = { Authorization: `Bearer ${p2.token}` };
  if (encoding === "gzip") headers["Accept-Encoding"] = "gzip";
  return { name, server, path: `/p2/${p2.packageName}.json`, headers, check: () => verifiedP2(server.url, p2.token, p2.packageName, p2.versions).then(() => undefined) };
}

// A JWT-shaped token with a signature nobody made: the full check (HMAC) runs, then fails.
const FORGED = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VySWQiOjEsImp0aSI6ImZvcmdlZCJ9.c2lnbmF0dXJlLXRoYXQtZG9lcy1ub3QtbWF0Y2g";

export function badInputTargets(server: Server, p2: P2): Target[] {
  const expect = (path: string, headers: Record<string, string>, statuses: number[]) => async () => {
    const response = await fetch(`${server.url}${path}`, { headers });
    await response.arrayBuffer();
    if (!statuses.includes(response.status)) throw new Error(`${path}: expected ${statuses.join(" or ")}, got ${response.status}`);
  };
  const path = `/p2/${p2.packageName}.json`;
  const bad = (name: string, requestPath: string, headers: Record<string, string>, statuses: number[]): Target => ({ name, server, path: requestPath, headers, errors: true, check: expect(requestPath, headers, statuses) });
  return [
    bad("malformed Authorization (401/429)", path, { Authorization: "Bearer", "Accept-Encoding": "gzip" }, [401, 429]),
    bad("unknown token (401/429)", path, { Authorization: `Bearer ${FORGED}`, "Accept-Encoding": "gzip" }, [401, 429]),
    // Its checksum matches, so only the server's records can refuse it (a revoked or deleted token in a CI secret).
    bad("unknown satchel_ token (401/429)", path, { Authorization: `Bearer ${newApiToken()}`, "Accept-Encoding": "gzip" }, [401, 429]),
    bad("unknown package (404)", "/p2/acme/no-such-package.json", { Authorization: `Bearer ${p2.token}`, "Accept-Encoding": "gzip" }, [404]),
  ];
}
