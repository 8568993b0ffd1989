// The environment `npm start` runs wrangler in: offline and out of $HOME (TOOLCHAIN.md), and
// without wrangler's local trace capture and Local Explorer unless the shell asks for them.
import path from "node:path";

export function wranglerEnvironment(env: NodeJS.ProcessEnv, dataDir: string): NodeJS.ProcessEnv {
  return {
    ...env,
    WRANGLER_SEND_METRICS: "false",
    CLOUDFLARE_CF_FETCH_ENABLED: "false",
    WRANGLER_HIDE_BANNER: "true",
    XDG_CONFIG_HOME: env.XDG_CONFIG_HOME || path.join(dataDir, "config"),
    WRANGLER_LOG_PATH: env.WRANGLER_LOG_PATH || path.join(dataDir, "logs"),
    // wrangler (4.118+) writes a trace of every request (its spans, each D1 and R2 call) into a
    // SQLite store for the Local Explorer: half of the Worker's CPU per Composer request
    // (bench/COLD-COMPOSER.md). X_LOCAL_OBSERVABILITY=true in the shell turns it back on.
    X_LOCAL_OBSERVABILITY: env.X_LOCAL_OBSERVABILITY || "false",
    // wrangler's Local Explorer answers on the app's own port under /cdn-cgi/local/explorer with
    // no credentials: its API runs raw SQL on D1 (the users' password hashes included) for anyone
    // who sends a localhost Host header, which any client can. Off unless the shell asks for it.
    X_LOCAL_EXPLORER: env.X_LOCAL_EXPLORER || "false",
  };
}
