import { describe, expect, it } from "vitest";
import { wranglerEnvironment } from "./wrangler-env.ts";

describe("wranglerEnvironment", () => {
  it("turns wrangler's per-request trace capture off", () => {
    expect(wranglerEnvironment({ PATH: "/bin" }, "/data")).toMatchObject({ PATH: "/bin", X_LOCAL_OBSERVABILITY: "false" });
  });

  it("keeps wrangler's Local Explorer (unauthenticated raw SQL) off unless the shell asks for it", () => {
    expect(wranglerEnvironment({}, "/data").X_LOCAL_EXPLORER).toBe("false");
    expect(wranglerEnvironment({ X_LOCAL_EXPLORER: "true" }, "/data").X_LOCAL_EXPLORER).toBe("true");
  });

  it("leaves it on when the shell asks for it", () => {
    expect(wranglerEnvironment({ X_LOCAL_OBSERVABILITY: "true" }, "/data").X_LOCAL_OBSERVABILITY).toBe("true");
  });

  it("keeps wrangler offline and its files in the data folder unless the shell says where", () => {
    expect(wranglerEnvironment({}, "/data")).toMatchObject({ WRANGLER_SEND_METRICS: "false", CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_HIDE_BANNER: "true", XDG_CONFIG_HOME: "/data/config", WRANGLER_LOG_PATH: "/data/logs" });
    expect(wranglerEnvironment({ XDG_CONFIG_HOME: "/home/me/.config" }, "/data").XDG_CONFIG_HOME).toBe("/home/me/.config");
  });
});
