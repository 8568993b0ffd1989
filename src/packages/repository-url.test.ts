import { describe, expect, it } from "vitest";
import { AppError } from "../http/errors.ts";
import { checkRepositoryUrl } from "./repository-url.ts";

describe("checkRepositoryUrl", () => {
  it("accepts the spellings git clones", () => {
    for (const url of ["git@github.com:acme/lib.git", "https://github.com/acme/lib", "ssh://git@host:2222/acme/lib.git", "git://host/acme/lib"]) {
      expect(checkRepositoryUrl(url, false)).toBe(url);
    }
  });

  it("refuses scp-like URLs without a user or with unusual path characters, options and local paths", () => {
    for (const url of ["github.com:acme/lib.git", "git@github.com:acme/lib+x.git", "-uhost:x", "file:///etc", "/srv/git/lib", "a@b@host:x", "ftp://host/x"]) {
      expect(() => checkRepositoryUrl(url, false), url).toThrow(AppError);
    }
    expect(checkRepositoryUrl("/srv/git/lib", true)).toBe("/srv/git/lib");
  });
});
