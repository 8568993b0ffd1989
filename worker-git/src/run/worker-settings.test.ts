import { describe, expect, it } from "vitest";
import { GitSession } from "../drivers/git-auth.ts";
import { workerSettingsFrom } from "./worker-settings.ts";

describe("worker settings", () => {
  it("defaults to two jobs at a time and a 10 s ssh connect timeout", () => {
    const settings = workerSettingsFrom({});
    expect(settings.concurrency).toBe(2);
    expect(settings.leaseMs).toBe(60_000);
    expect(settings.git).toEqual({ connectTimeoutMs: 10_000, answerTimeoutMs: 30_000, lowSpeedBytes: 1000, lowSpeedTimeMs: 30_000 });
    expect(settings.deferZipballs).toBe(true);
  });

  it("reads every bound from the environment and refuses values out of range", () => {
    const env = { SATCHEL_GIT_CONCURRENCY: "4", SATCHEL_GIT_LEASE_SECONDS: "5", SATCHEL_GIT_CONNECT_TIMEOUT_SECONDS: "3", SATCHEL_GIT_ANSWER_TIMEOUT_SECONDS: "7", SATCHEL_GIT_LOW_SPEED_BYTES: "500", SATCHEL_GIT_LOW_SPEED_SECONDS: "20" };
    expect(workerSettingsFrom({ ...env, SATCHEL_GIT_DEFER_ZIPBALLS: "0" })).toEqual({ concurrency: 4, leaseMs: 5000, git: { connectTimeoutMs: 3000, answerTimeoutMs: 7000, lowSpeedBytes: 500, lowSpeedTimeMs: 20_000 }, deferZipballs: false });
    expect(() => workerSettingsFrom({ SATCHEL_GIT_DEFER_ZIPBALLS: "yes" })).toThrow(/SATCHEL_GIT_DEFER_ZIPBALLS/);
    expect(() => workerSettingsFrom({ SATCHEL_GIT_CONCURRENCY: "0" })).toThrow(/SATCHEL_GIT_CONCURRENCY/);
    expect(() => workerSettingsFrom({ SATCHEL_GIT_LEASE_SECONDS: "2" })).toThrow(/from 5 to 900/);
    expect(() => workerSettingsFrom({ SATCHEL_GIT_CONNECT_TIMEOUT_SECONDS: "ten" })).toThrow(/whole number/);
  });

  it("hands the bounds to git: ssh's ConnectTimeout and https's low-speed limit", async () => {
    const { git } = workerSettingsFrom({ SATCHEL_GIT_CONNECT_TIMEOUT_SECONDS: "4", SATCHEL_GIT_LOW_SPEED_BYTES: "2000", SATCHEL_GIT_LOW_SPEED_SECONDS: "15" });
    const session = await GitSession.create({}, "/x/known_hosts", git);
    try {
      expect(session.env.GIT_SSH_COMMAND).toContain("ConnectTimeout=4");
      expect(session.env.GIT_HTTP_LOW_SPEED_LIMIT).toBe("2000");
      expect(session.env.GIT_HTTP_LOW_SPEED_TIME).toBe("15");
    } finally {
      await session.dispose();
    }
  });
});
