import { describe, expect, it } from "vitest";
import { hookUrlToken, vouchedPackages } from "./authorize-hook.ts";

const candidates = [
  { id: 1, name: "acme/a", updatesDisabled: false },
  { id: 2, name: "acme/b", updatesDisabled: false },
];

describe("vouchedPackages", () => {
  it("lets an integration secret (no package) vouch for every candidate", () => {
    expect(vouchedPackages(candidates, [{ packageId: null }])).toEqual(candidates);
    expect(vouchedPackages(candidates, [{ packageId: 2 }, { packageId: null }])).toEqual(candidates);
  });

  it("lets a package secret vouch only for its own package", () => {
    expect(vouchedPackages(candidates, [{ packageId: 2 }])).toEqual([candidates[1]]);
    expect(vouchedPackages(candidates, [{ packageId: 99 }])).toEqual([]);
  });
});

describe("hookUrlToken", () => {
  it("reads Packeton's token=<username>:<token>", () => {
    expect(hookUrlToken({ token: "alice:abc.def.ghi" })).toEqual({ username: "alice", token: "abc.def.ghi" });
  });

  it("takes a bare token (a JWT has no colon), with a separate username when given", () => {
    expect(hookUrlToken({ token: "abc.def.ghi" })).toEqual({ token: "abc.def.ghi" });
    expect(hookUrlToken({ token: "abc.def.ghi", username: "bob" })).toEqual({ username: "bob", token: "abc.def.ghi" });
  });

  it("reads Packagist's username=&apiToken=, whose token is never split", () => {
    expect(hookUrlToken({ apiToken: "x:y", username: "carol" })).toEqual({ username: "carol", token: "x:y" });
  });

  it("finds none when the URL carries neither, and does not split at a leading colon", () => {
    expect(hookUrlToken({})).toBeNull();
    expect(hookUrlToken({ username: "dave" })).toBeNull();
    expect(hookUrlToken({ token: ":abc" })).toEqual({ token: ":abc" });
  });
});
