// A hook's proof checked against the stored secrets, in constant time: an HMAC-SHA256 of the
// raw body (GitHub, Gitea, Bitbucket) or a shared token sent as is (GitLab).
import { constantTimeEqual } from "../../crypto/constant-time.ts";
import { hmacSha256Hex } from "../../crypto/hmac.ts";
import type { Proof } from "./providers/provider.ts";

/** The secrets (of those given) that this proof was made with. */
export async function matchingSecrets<S extends { secret: string }>(proof: Proof, secrets: S[], body: Uint8Array): Promise<S[]> {
  const checks = await Promise.all(
    secrets.map(async (secret) => {
      const expected = proof.kind === "token" ? secret.secret : await hmacSha256Hex(secret.secret, body);
      const presented = proof.kind === "token" ? proof.value : proof.hex;
      return constantTimeEqual(presented, expected) ? secret : null;
    }),
  );
  return checks.filter((secret): secret is Awaited<S> => secret !== null);
}
