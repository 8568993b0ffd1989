import { afterEach, describe, expect, it, vi } from "vitest";
import { requireTool } from "./required-tool.ts";

describe("requireTool", () => {
  afterEach(() => vi.restoreAllMocks());

  it("fails on CI when the tool is missing", () => {
    expect(() => requireTool(false, "openssh-server", "apt-get install openssh-server", "the ssh tests", { CI: "true" })).toThrow(/openssh-server is required on CI/);
  });

  it("warns with one loud line locally and says to skip", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(requireTool(false, "openssh-server", "apt-get install openssh-server", "the ssh tests", {})).toBe(false);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0]?.[0]).trim()).toBe("!!! openssh-server is missing: the ssh tests are SKIPPED. apt-get install openssh-server");
  });

  it("runs the tests when the tool is there, silently", () => {
    const warn = vi.spyOn(console, "warn").mockImplementation(() => undefined);
    expect(requireTool(true, "composer", "apt-get install composer", "the composer tests", { CI: "true" })).toBe(true);
    expect(warn).not.toHaveBeenCalled();
  });
});
