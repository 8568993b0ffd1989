import { describe, expect, it } from "vitest";
import { decodeVcsRepository, encodeVcsRepository } from "./vcs-repository.ts";

describe("the stored VCS repository form", () => {
  it("is the bare URL without a type, and round-trips type and Subversion paths", () => {
    expect(encodeVcsRepository({ url: "https://example.test/a.git" })).toBe("https://example.test/a.git");
    const options = { url: "svn://example.test/r", type: "svn" as const, paths: { "trunk-path": "Main", "branches-path": false as const, "tags-path": "a b/c" } };
    const stored = encodeVcsRepository(options);
    expect(stored).toBe("svn://example.test/r#vcs=svn&trunk-path=Main&branches-path=&tags-path=a+b%2Fc");
    expect(decodeVcsRepository(stored)).toEqual(options);
    expect(decodeVcsRepository("http://example.test/hg#vcs=hg")).toEqual({ url: "http://example.test/hg", type: "hg" });
  });

  it("leaves any other fragment in the URL", () => {
    expect(decodeVcsRepository("https://example.test/a.git#main")).toEqual({ url: "https://example.test/a.git#main" });
    expect(decodeVcsRepository("https://example.test/a#vcs=cvs")).toEqual({ url: "https://example.test/a#vcs=cvs" });
  });
});
