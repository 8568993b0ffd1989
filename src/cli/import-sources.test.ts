import { describe, expect, it } from "vitest";
import { ImportSourceError, parseList, parseSatis } from "./import-sources.ts";

describe("import sources", () => {
  it("reads a list of repository URLs, skipping blanks, comments and repeats", () => {
    expect(parseList("# ours\nhttps://git.example.test/a.git\n\n  git@example.test:b.git  \nhttps://git.example.test/a.git\n").repositories).toEqual([
      "https://git.example.test/a.git",
      "git@example.test:b.git",
    ]);
  });

  it("refuses a list with a line that is not one URL, or with none", () => {
    expect(() => parseList("https://a.test/x.git\nhttps://a.test/y.git extra\n")).toThrow(/line 2/);
    expect(() => parseList("# nothing\n\n")).toThrow(ImportSourceError);
  });

  it("takes a satis.json's VCS repositories, and says what it does not carry over", () => {
    const plan = parseSatis(
      JSON.stringify({
        name: "acme/satis",
        homepage: "https://satis.example.test",
        repositories: [
          { type: "vcs", url: "https://git.example.test/acme/lib.git" },
          { type: "github", url: "https://github.com/acme/tool" },
          { type: "composer", url: "https://repo.packagist.org" },
          { type: "artifact", url: "/srv/zips" },
        ],
        require: { "acme/lib": "^1.0" },
        archive: { directory: "dist", format: "zip", "skip-dev": true },
      }),
    );
    expect(plan.repositories).toEqual(["https://git.example.test/acme/lib.git", "https://github.com/acme/tool"]);
    expect(plan.notes.join("\n")).toMatch(/composer https:\/\/repo\.packagist\.org.*upstream/);
    expect(plan.notes.join("\n")).toMatch(/artifact/);
    expect(plan.notes.join("\n")).toMatch(/requires only acme\/lib/);
    expect(plan.notes.join("\n")).toMatch(/archive settings/);
  });

  it("refuses a satis.json that is not JSON, has no repositories, or a repository without a url", () => {
    expect(() => parseSatis("{ nope")).toThrow(/not JSON/);
    expect(() => parseSatis(JSON.stringify({ name: "x" }))).toThrow(/repositories/);
    expect(() => parseSatis(JSON.stringify({ repositories: [{ type: "vcs" }] }))).toThrow(/repositories\[0\]/);
    expect(() => parseSatis(JSON.stringify({ repositories: [{ type: "composer", url: "https://repo.packagist.org" }] }))).toThrow(/no VCS repository/);
  });
});
