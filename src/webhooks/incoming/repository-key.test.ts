import { describe, expect, it } from "vitest";
import { parseRepositoryUrl, repositoryKey } from "./repository-key.ts";

describe("repository keys", () => {
  it("gives every spelling of one repository the same key", () => {
    const spellings = [
      "https://github.com/Acme/Lib.git",
      "https://github.com/acme/lib",
      "https://github.com/acme/lib/",
      "http://GitHub.com/acme/lib.git",
      "https://token:x-oauth@github.com/acme/lib.git",
      "git@github.com:acme/lib.git",
      "github.com:acme/lib",
      "ssh://git@github.com/acme/lib.git",
      "ssh://git@github.com:22/acme/lib",
      "git://github.com/acme/lib.git",
      "https://api.github.com/repos/acme/lib",
    ];
    for (const url of spellings) expect(repositoryKey(url), url).toBe("github.com/acme/lib");
  });

  it("keeps different repositories apart and refuses what is no URL", () => {
    expect(repositoryKey("https://gitlab.com/group/sub/project.git")).toBe("gitlab.com/group/sub/project");
    expect(repositoryKey("https://github.com/acme/lib2")).not.toBe(repositoryKey("https://github.com/acme/lib"));
    expect(repositoryKey("https://gitlab.example.com/acme/lib")).not.toBe(repositoryKey("https://github.com/acme/lib"));
    expect(repositoryKey("git://127.0.0.1:9418/lib.git")).toBe("127.0.0.1/lib");
    expect(repositoryKey("/srv/git/lib.git")).toBe("/srv/git/lib");
    for (const bad of ["", "   ", "not a url", "https://", "https://github.com/"]) expect(repositoryKey(bad), bad).toBeNull();
  });

  it("keeps the path's case for provider APIs", () => {
    expect(parseRepositoryUrl("git@GitLab.example.com:Group/Project.git")).toEqual({ host: "gitlab.example.com", path: "Group/Project" });
  });
});
