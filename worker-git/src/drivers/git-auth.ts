// The environment every git call runs in: a private temporary HOME (so neither ~/.gitconfig nor
// its credential helpers are read), no system config, no prompts, C locale (stable messages),
// ssh confined to the key we were given, and https credentials only through GIT_ASKPASS (never
// in a URL or an argument). Everything secret lives in a 0700 temp dir that dispose() removes.
import { chmod, mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { DEFAULT_GIT_TIMEOUTS, lowSpeedEnv, type GitTimeouts } from "./git-timeouts.ts";

export interface GitCredentials {
  /** A private key (OpenSSH/PEM text) for ssh URLs. */
  sshKey?: string;
  /** known_hosts content; when given, host keys must match it (StrictHostKeyChecking=yes). */
  knownHosts?: string;
  /** https credentials (a token as password), handed to git by GIT_ASKPASS. */
  httpToken?: { username: string; password: string };
}

// Only what git needs, plus the proxy and CA settings a deployment may rely on.
const PASSED_THROUGH = ["PATH", "TMPDIR", "http_proxy", "https_proxy", "no_proxy", "all_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY", "ALL_PROXY", "SSL_CERT_FILE", "SSL_CERT_DIR", "GIT_SSL_CAINFO", "GIT_EXEC_PATH"];

const ASKPASS = `#!/bin/sh
# git asks "Username for ..." then "Password for ...": answer from the environment, or refuse.
[ -n "$SATCHEL_GIT_PASSWORD" ] || exit 1
case "$1" in
  Username*) printf '%s\\n' "$SATCHEL_GIT_USERNAME" ;;
  *) printf '%s\\n' "$SATCHEL_GIT_PASSWORD" ;;
esac
`;

export class GitSession {
  readonly dir: string;
  readonly env: NodeJS.ProcessEnv;
  /** Values to scrub from any message. */
  readonly secrets: string[];

  private constructor(dir: string, env: NodeJS.ProcessEnv, secrets: string[]) {
    this.dir = dir;
    this.env = env;
    this.secrets = secrets;
  }

  /** Creates the temp dir and files; `defaultKnownHosts` is used (accept-new) without `knownHosts`. */
  static async create(credentials: GitCredentials, defaultKnownHosts: string, timeouts: GitTimeouts = DEFAULT_GIT_TIMEOUTS): Promise<GitSession> {
    const dir = await mkdtemp(path.join(os.tmpdir(), "satchel-git-session-"));
    try {
      await chmod(dir, 0o700);
      const home = path.join(dir, "home");
      await mkdir(home, { mode: 0o700 });
      const askpass = path.join(dir, "askpass.sh");
      await writeFile(askpass, ASKPASS, { mode: 0o700 });

      const ssh = ["ssh", "-F", "/dev/null", "-o", "BatchMode=yes", "-o", "IdentitiesOnly=yes", "-o", "IdentityAgent=none", "-o", `ConnectTimeout=${Math.max(1, Math.round(timeouts.connectTimeoutMs / 1000))}`];
      if (credentials.sshKey !== undefined) {
        const key = path.join(dir, "id_key");
        const text = credentials.sshKey.endsWith("\n") ? credentials.sshKey : `${credentials.sshKey}\n`;
        await writeFile(key, text, { mode: 0o600 });
        ssh.push("-i", key);
      } else {
        // Never fall back to the server's own ~/.ssh keys.
        // No key: no public-key authentication at all (an IdentityFile of /dev/null makes ssh
        // print an "unprotected private key" banner that hides the real reason).
        ssh.push("-o", "PubkeyAuthentication=no");
      }
      if (credentials.knownHosts !== undefined) {
        const knownHosts = path.join(dir, "known_hosts");
        await writeFile(knownHosts, credentials.knownHosts, { mode: 0o600 });
        ssh.push("-o", "StrictHostKeyChecking=yes", "-o", `UserKnownHostsFile=${knownHosts}`);
      } else {
        ssh.push("-o", "StrictHostKeyChecking=accept-new", "-o", `UserKnownHostsFile=${defaultKnownHosts}`);
      }

      const env: NodeJS.ProcessEnv = {};
      for (const name of PASSED_THROUGH) if (process.env[name] !== undefined) env[name] = process.env[name];
      Object.assign(env, {
        HOME: home,
        XDG_CONFIG_HOME: home,
        LC_ALL: "C",
        LANGUAGE: "C",
        GIT_CONFIG_NOSYSTEM: "1",
        GIT_CONFIG_GLOBAL: "/dev/null",
        GIT_TERMINAL_PROMPT: "0",
        GIT_ASKPASS: askpass,
        GIT_SSH_COMMAND: ssh.map(shellQuote).join(" "),
        GIT_SSH_VARIANT: "ssh",
        ...lowSpeedEnv(timeouts),
      });
      const secrets: string[] = [];
      if (credentials.httpToken) {
        env.SATCHEL_GIT_USERNAME = credentials.httpToken.username;
        env.SATCHEL_GIT_PASSWORD = credentials.httpToken.password;
        secrets.push(credentials.httpToken.password);
      }
      return new GitSession(dir, env, secrets);
    } catch (error) {
      await rm(dir, { recursive: true, force: true });
      throw error;
    }
  }

  async dispose(): Promise<void> {
    await rm(this.dir, { recursive: true, force: true });
  }
}

function shellQuote(word: string): string {
  return /^[A-Za-z0-9_./=:@%+-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}
