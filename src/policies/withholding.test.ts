import { describe, expect, it } from "vitest";
import type { VersionEntry } from "../composer-rules/version-entry.ts";
import { filterMetadata, withhold } from "./withholding.ts";

const entry = (version: string, type = "library") => ({ name: "acme/tool", version, version_normalized: `${version}.0`, type, dist: { type: "zip", url: "", reference: `ref-${version}`, shasum: "" } }) as VersionEntry;
const off = { enabled: false, allowed: [] };

describe("withhold", () => {
  it("keeps everything without flags or an allowlist", () => {
    expect(withhold("acme/tool", [entry("1.0.0")], { flags: [], pluginAllowlist: off })).toEqual({ kept: [entry("1.0.0")], withheld: [] });
  });

  it("withholds a flagged version with its reason, and names it in the filter metadata", () => {
    const { kept, withheld } = withhold("acme/tool", [entry("1.0.0"), entry("1.0.1")], { flags: [{ id: 7, versionNormalized: "1.0.1.0", kind: "malware", reason: "steals keys" }], pluginAllowlist: off });
    expect(kept.map((v) => v.version)).toEqual(["1.0.0"]);
    expect(withheld).toEqual([{ version: "1.0.1", versionNormalized: "1.0.1.0", reference: "ref-1.0.1", flag: { id: 7, kind: "malware", reason: "steals keys" }, warning: "acme/tool 1.0.1 is flagged as malware and withdrawn: steals keys" }]);
    expect(filterMetadata(withheld)).toEqual({ filter: { malware: [{ constraint: "1.0.1", reason: "malware: steals keys", id: "SATCHEL-FLAG-7", source: "satchel" }] } });
  });

  it("withholds plugin versions the allowlist does not allow, and only those; they are not filter entries", () => {
    const versions = [entry("1.0.0", "composer-plugin"), entry("0.9.0", "library")];
    const blocked = withhold("acme/tool", versions, { flags: [], pluginAllowlist: { enabled: true, allowed: ["other/*"] } });
    expect(blocked.kept.map((v) => v.version)).toEqual(["0.9.0"]);
    expect(blocked.withheld.map((v) => v.version)).toEqual(["1.0.0"]);
    expect(filterMetadata(blocked.withheld)).toBeUndefined();
    expect(withhold("acme/tool", versions, { flags: [], pluginAllowlist: { enabled: true, allowed: ["acme/*"] } }).withheld).toEqual([]);
    expect(withhold("acme/tool", versions, { flags: [], pluginAllowlist: { enabled: true, allowed: ["acme/tool"] } }).withheld).toEqual([]);
  });
});
