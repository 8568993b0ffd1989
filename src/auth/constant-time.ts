// Moved to src/crypto/; composer/ switches its imports in the commit that moves proxy serving.
export { sha256Hex } from "../crypto/digest.ts";
