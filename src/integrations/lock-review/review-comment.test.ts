import { describe, expect, it } from "vitest";
import type { LockedPackage } from "../security/lock-file.ts";
import { diffLocks } from "./lock-diff.ts";
import { COMMENT_LIMITS, renderReview, REVIEW_MARKER } from "./review-comment.ts";

const pkg = (name: string, version: string): LockedPackage => ({ name, version, reference: null, dev: false });

describe("review comment", () => {
  it("lists advisories, downgrades and major upgrades first, with compare links", () => {
    const diff = diffLocks([pkg("acme/lib", "1.0.0"), pkg("acme/old", "2.0.0"), pkg("acme/big", "1.0.0")], [pkg("acme/lib", "1.1.0"), pkg("acme/old", "1.0.0"), pkg("acme/big", "2.0.0")]);
    const advisories = [{ name: "acme/lib", version: "1.1.0", advisory: { advisoryId: "SATCHEL-2026-1", title: "RCE | in [parser]", link: "https://example.test/a(1)", cve: "CVE-2026-1", severity: "high", affectedVersions: ">=1.1,<1.2" } }];
    const body = renderReview({ diff, advisories, compareLinks: new Map([["acme/lib", "https://github.com/acme/lib/compare/a...b"]]) }, COMMENT_LIMITS.github);
    expect(body.startsWith(REVIEW_MARKER)).toBe(true);
    expect(body).toContain("**0 added, 0 removed, 2 upgraded, 1 downgraded, 1 security advisory**");
    expect(body).toContain("| `acme/lib` | `1.1.0` | [CVE-2026-1: RCE \\| in \\[parser\\]](https://example.test/a%281%29) (high) |");
    expect(body).toContain("| `acme/lib` ([compare](https://github.com/acme/lib/compare/a...b)) | `1.0.0` | `1.1.0` |");
    expect(body.indexOf("Security advisories")).toBeLessThan(body.indexOf("#### Downgraded"));
    expect(body.indexOf("#### Downgraded")).toBeLessThan(body.indexOf("#### Upgraded"));
    expect(body.indexOf("`acme/big`")).toBeLessThan(body.indexOf("| `acme/lib` ("));
  });

  it.each(Object.entries(COMMENT_LIMITS))("summarizes a 5,000-package change within %s's limit, counts first", (_provider, limit) => {
    const base = Array.from({ length: 5000 }, (_, i) => pkg(`vendor${i}/package-with-a-long-name-${i}`, "1.0.0"));
    const head = base.map((entry, i) => pkg(entry.name, i % 2 ? "2.0.0" : "1.0.1"));
    const body = renderReview({ diff: diffLocks(base, head), advisories: [], compareLinks: new Map() }, limit);
    expect(body.length).toBeLessThanOrEqual(limit);
    expect(body).toContain("**0 added, 0 removed, 5000 upgraded, 0 downgraded, 0 security advisories**");
    if (limit < 1_000_000) expect(body).toMatch(/_\d+ more changes not listed: the comment is limited to \d+ characters\._/);
    // Every major upgrade listed comes before any minor one.
    const firstMinor = body.indexOf("`1.0.1`");
    expect(body.indexOf("(major)")).toBeGreaterThan(0);
    if (firstMinor !== -1) expect(body.lastIndexOf("(major)")).toBeLessThan(firstMinor);
  });
});
