import { describe, expect, it } from "vitest";
import { redactUrl } from "./redact.ts";

describe("redactUrl", () => {
  it("hides https userinfo and ssh passwords, keeps ssh logins", () => {
    expect(redactUrl("fetch https://alice:s3cret@git.example.com/a.git failed")).toBe("fetch https://***@git.example.com/a.git failed");
    expect(redactUrl("https://ghp_token123@github.com/o/r.git")).toBe("https://***@github.com/o/r.git");
    expect(redactUrl("ssh://git:pw@host:22/r.git")).toBe("ssh://git:***@host:22/r.git");
    expect(redactUrl("ssh://git@host/r.git and git@github.com:o/r.git")).toBe("ssh://git@host/r.git and git@github.com:o/r.git");
  });
});
