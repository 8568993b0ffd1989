// The generated key pair must be what OpenSSH itself reads: ssh-keygen derives the same public
// key from our private key file (skipped when ssh-keygen is not installed).
import { execFileSync } from "node:child_process";
import { mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { generateEd25519KeyPair } from "./ssh-keygen.ts";

const hasSshKeygen = (() => {
  try {
    execFileSync("ssh-keygen", ["-?"], { stdio: "ignore" });
    return true;
  } catch (error) {
    return (error as { status?: number }).status !== undefined && (error as { code?: string }).code !== "ENOENT";
  }
})();

describe("ed25519 SSH keys", () => {
  it("writes OpenSSH formats", async () => {
    const pair = await generateEd25519KeyPair("satchel@example");
    expect(pair.publicKey).toMatch(/^ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI[A-Za-z0-9+/]{43} satchel@example$/);
    expect(pair.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[A-Za-z0-9+/=\n]+-----END OPENSSH PRIVATE KEY-----\n$/);
  });

  it.skipIf(!hasSshKeygen)("is read by ssh-keygen, which derives the same public key", async () => {
    const pair = await generateEd25519KeyPair("satchel@example");
    const dir = await mkdtemp(path.join(tmpdir(), "satchel-ssh-"));
    const file = path.join(dir, "id_ed25519");
    await writeFile(file, pair.privateKey, { mode: 0o600 });
    const derived = execFileSync("ssh-keygen", ["-y", "-f", file], { encoding: "utf8" }).trim();
    expect(derived.split(" ").slice(0, 2).join(" ")).toBe(pair.publicKey.split(" ").slice(0, 2).join(" "));
  });
});
