import { describe, expect, it } from "vitest";
import { hmacSha256Hex } from "../../crypto/hmac.ts";
import { matchingSecrets } from "./verify-signature.ts";

const body = new TextEncoder().encode('{"ref":"refs/tags/v1.0.0"}');
const secrets = [
  { id: 1, packageId: 10, secret: "package-secret-0123456789" },
  { id: 2, packageId: null, secret: "integration-secret-0123456789" },
];

describe("matchingSecrets", () => {
  it("finds the secret an HMAC-SHA256 of the raw body was made with", async () => {
    const hex = await hmacSha256Hex("integration-secret-0123456789", body);
    expect(await matchingSecrets({ kind: "hmac-sha256", hex }, secrets, body)).toEqual([secrets[1]]);
  });

  it("matches nothing when the body was changed after signing", async () => {
    const hex = await hmacSha256Hex("package-secret-0123456789", body);
    expect(await matchingSecrets({ kind: "hmac-sha256", hex }, secrets, new TextEncoder().encode('{"ref":"refs/tags/v6.6.6"}'))).toEqual([]);
  });

  it("compares a token proof (GitLab) with the secret itself, never with its HMAC", async () => {
    expect(await matchingSecrets({ kind: "token", value: "package-secret-0123456789" }, secrets, body)).toEqual([secrets[0]]);
    const hex = await hmacSha256Hex("package-secret-0123456789", body);
    expect(await matchingSecrets({ kind: "token", value: hex }, secrets, body)).toEqual([]);
  });

  it("refuses an empty signature (what a malformed header becomes)", async () => {
    expect(await matchingSecrets({ kind: "hmac-sha256", hex: "" }, secrets, body)).toEqual([]);
  });
});
