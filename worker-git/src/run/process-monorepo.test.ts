import { describe, expect, it } from "vitest";
import { matchingDirectories } from "./process-monorepo.ts";

describe("matchingDirectories", () => {
  it("keeps directories with a composer.json whose path matches a glob, one segment per star", () => {
    const files = [
      "composer.json",
      "packages/a/composer.json",
      "packages/a/src/composer.json",
      "packages/b.c/composer.json",
      "src/Component/Http/composer.json",
      "src/Component/composer.json",
      "tools/x/composer.json",
      "packages/d/README.md",
    ];
    expect(matchingDirectories(files, ["packages/*", "src/Component/*/"])).toEqual(["packages/a", "packages/b.c", "src/Component/Http"]);
    expect(matchingDirectories(files, ["packages/?"])).toEqual(["packages/a"]);
    expect(matchingDirectories(files, ["nothing/*"])).toEqual([]);
  });
});
