// Which git credentials a provider token becomes when the worker clones over HTTPS.
import { describe, expect, it } from "vitest";
import { GitCliDriver } from "../drivers/git-cli.ts";
import { openDriver } from "./open-driver.ts";

const context = (kind: string, repository: string) => ({ kind: "update-package", repository, packageName: null, force: false, published: [], credentials: { kind, secret: "tok-123", publicInfo: null } });

describe("openDriver", () => {
  it.each([
    ["gitea-token", "https://gitea.example.test/acme/app.git", "oauth2"],
    ["bitbucket-token", "https://bitbucket.org/acme/app.git", "x-token-auth"],
  ])("clones with a %s as the documented HTTPS user and the token as password", (kind, repository, username) => {
    const driver = openDriver(context(kind, repository));
    expect(driver).toBeInstanceOf(GitCliDriver);
    expect((driver as unknown as { options: { httpToken?: unknown } }).options.httpToken).toEqual({ username, password: "tok-123" });
  });
});
