import { describe, expect, it } from "vitest";
import { defaultApiBaseUrl, driverKindFor, parseProviderUrl } from "./provider-url.ts";

describe("parseProviderUrl", () => {
  it.each([
    ["https://github.com/acme/lib", "github.com", "acme/lib"],
    ["https://github.com/acme/lib.git", "github.com", "acme/lib"],
    ["https://github.com/acme/lib/", "github.com", "acme/lib"],
    ["http://GitHub.com/Acme/Lib.git", "github.com", "Acme/Lib"],
    ["git@github.com:acme/lib.git", "github.com", "acme/lib"],
    ["github.com:acme/lib", "github.com", "acme/lib"],
    ["ssh://git@github.com/acme/lib.git", "github.com", "acme/lib"],
    ["git://github.com/acme/lib.git", "github.com", "acme/lib"],
    ["https://user:secret@github.com/acme/lib.git", "github.com", "acme/lib"],
    ["https://gitlab.com/group/sub/project.git", "gitlab.com", "group/sub/project"],
    ["git@gitlab.example.com:group/sub/project.git", "gitlab.example.com", "group/sub/project"],
    // An ssh port is not the API's port; an https port is.
    ["ssh://git@gitlab.example.com:2222/group/project.git", "gitlab.example.com", "group/project"],
    ["https://gitlab.example.com:8443/group/project", "gitlab.example.com:8443", "group/project"],
  ])("%s", (url, host, path) => {
    const location = parseProviderUrl(url);
    expect(location).toMatchObject({ host, path });
    expect(location?.name).toBe(path.split("/").pop());
    expect(location?.namespace).toBe(path.split("/").slice(0, -1).join("/"));
  });

  it.each(["/srv/git/lib.git", "./lib", "file:///srv/git/lib.git", "https://github.com/acme", "https://github.com/", "not a url", "https://github.com/acme/../lib", "ftp://example.com/a/b"])(
    "rejects %s",
    (url) => {
      expect(parseProviderUrl(url)).toBeNull();
    },
  );
});

describe("driverKindFor", () => {
  it.each([
    ["https://github.com/acme/lib.git", "github"],
    ["git@github.com:acme/lib.git", "github"],
    ["ssh://git@github.com/acme/lib.git", "github"],
    ["https://www.github.com/acme/lib", "github"],
    // Not a repository URL on GitHub: left to git.
    ["https://github.com/acme/lib/tree/main", "git"],
    ["https://gitlab.com/group/sub/project.git", "gitlab"],
    ["git@gitlab.com:group/project.git", "gitlab"],
    ["https://git.example.com/acme/lib.git", "git"],
    ["/srv/git/lib.git", "git"],
    ["file:///srv/git/lib.git", "git"],
  ] as const)("%s -> %s", (url, kind) => {
    expect(driverKindFor(url)).toBe(kind);
  });

  it("knows extra Enterprise and self-managed hosts, and can be forced", () => {
    expect(driverKindFor("https://ghe.example.com/acme/lib.git", { githubHosts: ["GHE.example.com"] })).toBe("github");
    expect(driverKindFor("git@gitlab.example.com:g/p.git", { gitlabHosts: ["gitlab.example.com"] })).toBe("gitlab");
    expect(driverKindFor("https://gitlab.example.com:8443/g/p", { gitlabHosts: ["gitlab.example.com:8443"] })).toBe("gitlab");
    expect(driverKindFor("https://github.com/acme/lib", { force: "git" })).toBe("git");
  });
});

describe("defaultApiBaseUrl", () => {
  it("uses the public APIs and the Enterprise/self-managed conventions", () => {
    const at = (url: string) => {
      const location = parseProviderUrl(url);
      if (!location) throw new Error(url);
      return location;
    };
    expect(defaultApiBaseUrl("github", at("git@github.com:acme/lib.git"))).toBe("https://api.github.com");
    expect(defaultApiBaseUrl("github", at("https://ghe.example.com/acme/lib"))).toBe("https://ghe.example.com/api/v3");
    expect(defaultApiBaseUrl("gitlab", at("https://gitlab.com/g/p"))).toBe("https://gitlab.com");
    expect(defaultApiBaseUrl("gitlab", at("https://gitlab.example.com:8443/g/p"))).toBe("https://gitlab.example.com:8443");
  });
});
