import { describe, expect, it } from "vitest";
import { parseAuthorization } from "./middleware.ts";

const basic = (text: string) => `Basic ${btoa(text)}`;

describe("parseAuthorization", () => {
  it("reads a bearer token, whatever the scheme's case", () => {
    expect(parseAuthorization("Bearer abc.def.ghi")).toEqual({ token: "abc.def.ghi" });
    expect(parseAuthorization("  bearer abc ")).toEqual({ token: "abc" });
  });

  it("splits http-basic at the first colon, so a token may contain colons", () => {
    expect(parseAuthorization(basic("alice:tok:en"))).toEqual({ username: "alice", token: "tok:en" });
    expect(parseAuthorization(basic(":token"))).toEqual({ username: "", token: "token" });
  });

  it("decodes UTF-8 user names", () => {
    const bytes = new TextEncoder().encode("zoë:secret");
    expect(parseAuthorization(`Basic ${btoa(String.fromCharCode(...bytes))}`)).toEqual({ username: "zoë", token: "secret" });
  });

  it("refuses other schemes, a missing value, malformed base64 and basic without a colon", () => {
    for (const header of ["Digest abc", "Bearer", "", "Basic !!!not-base64!!!", basic("no-colon-here")]) {
      expect(parseAuthorization(header), header).toBeNull();
    }
  });
});
