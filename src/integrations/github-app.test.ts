// The App JWT from the PKCS#1 key GitHub hands out: wrapped as PKCS#8 for WebCrypto, signed
// RS256, and verified by Node's own RSA with the App's public key.
import { createPublicKey, generateKeyPairSync, verify } from "node:crypto";
import { describe, expect, it } from "vitest";
import { appJwt, asPkcs8, checkAppPermissions } from "./github-app.ts";

describe("GitHub App tokens", () => {
  const { privateKey, publicKey } = generateKeyPairSync("rsa", { modulusLength: 2048, privateKeyEncoding: { type: "pkcs1", format: "pem" }, publicKeyEncoding: { type: "spki", format: "pem" } });

  it("signs an RS256 JWT with a PKCS#1 key, issued by the App, backdated a minute and valid under ten", async () => {
    expect(privateKey).toContain("BEGIN RSA PRIVATE KEY");
    const now = Date.UTC(2026, 0, 1);
    const jwt = await appJwt("4242", privateKey, now);
    const [header, payload, signature] = jwt.split(".");
    expect(verify("RSA-SHA256", Buffer.from(`${header}.${payload}`), createPublicKey(publicKey), Buffer.from(signature!, "base64url"))).toBe(true);
    expect(JSON.parse(Buffer.from(header!, "base64url").toString())).toEqual({ alg: "RS256" });
    expect(JSON.parse(Buffer.from(payload!, "base64url").toString())).toEqual({ iss: "4242", iat: now / 1000 - 60, exp: now / 1000 + 540 });
  });

  it("leaves a PKCS#8 key as it is", () => {
    expect(asPkcs8("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n")).toBe("-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n");
    expect(asPkcs8(privateKey)).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
  });

  it("names the first permission an installation lacks, and accepts a higher level", () => {
    expect(() => checkAppPermissions({ contents: "read", metadata: "read" }, { hooks: true, teams: false })).toThrow('"organization_hooks: write"');
    expect(() => checkAppPermissions({ contents: "write", metadata: "read", organization_hooks: "admin", members: "read" }, { hooks: true, teams: true })).not.toThrow();
    expect(() => checkAppPermissions({ metadata: "read" }, { hooks: false, teams: false })).toThrow('"contents: read"');
  });
});
