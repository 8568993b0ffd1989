// Which keys an archive's data needs, without the keys: the JWT kid (as src/auth/jwt.ts puts
// it in tokens) and a fingerprint of ENCRYPTION_KEY. Restoring under other keys would leave
// every API token and every stored secret unusable, so the restore refuses it up front.
import { sha256Hex } from "../crypto/digest.ts";
import { jwtKid } from "../auth/jwt.ts";

export interface KeyFingerprints {
  jwt: string;
  encryption: string;
}

export async function keyFingerprints(keys: { jwtSecret: string; encryptionKey: string }): Promise<KeyFingerprints> {
  return {
    jwt: await jwtKid(keys.jwtSecret),
    encryption: `ek-${(await sha256Hex(`satchel encryption key fingerprint:${keys.encryptionKey}`)).slice(0, 12)}`,
  };
}
