import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import type { VersionEntry } from "../../../src/composer-rules/version-entry.ts";
import { GitCliDriver } from "../drivers/git-cli.ts";
import type { ScannedVersion } from "../scan/scan-result.ts";
import { composerJson, git, RepoBuilder } from "../testing/repo-builder.ts";
import { buildZipballs, knownZipballs, zipballPrefix } from "./build-zipballs.ts";
import type { EdgeClient } from "./edge-client.ts";

const entry = (dist: VersionEntry["dist"]): VersionEntry => ({ name: "acme/widget", version: "1.0.0", version_normalized: "1.0.0.0", dist }) as VersionEntry;

describe("knownZipballs", () => {
  it("maps each published commit to its zip's shasum, skipping entries without one", () => {
    const known = knownZipballs([
      entry({ type: "zip", url: "u", reference: "a".repeat(40), shasum: "s1" }),
      entry({ type: "zip", url: "u", reference: "b".repeat(40), shasum: "" }),
      entry({ type: "zip", url: "u", reference: "", shasum: "s3" }),
      entry(undefined),
    ]);
    expect([...known]).toEqual([["a".repeat(40), "s1"]]);
  });
});

describe("zipballPrefix", () => {
  it("names the zip's top directory after the package and the commit's first 12 hex digits", () => {
    expect(zipballPrefix("acme/widget", "0123456789abcdef0123456789abcdef01234567")).toBe("acme-widget-0123456789ab");
  });
});

describe("buildZipballs", () => {
  it("archives and uploads a commit once when a tag and a branch share it, and gives both the same shasum", async () => {
    const work = mkdtempSync(path.join(os.tmpdir(), "satchel-build-zipballs-"));
    try {
      const repo = path.join(work, "mono.git");
      const builder = new RepoBuilder();
      const commit = builder.commit({ files: { "packages/a/composer.json": composerJson({ name: "acme/a" }), "packages/a/src/A.php": "<?php\n" } });
      builder.tag("v1.1.0", commit).branch("main", commit).write(repo, "main");
      const sha = git(repo, ["rev-parse", "main"]).trim();
      const version = (kind: "tag" | "branch", ref: string, name: string): ScannedVersion => ({
        entry: { name: "acme/a", version: name, version_normalized: name } as VersionEntry,
        kind,
        ref,
        commit: sha,
        distReference: sha,
        archiveExcludes: [],
      });
      const versions = [version("tag", "v1.1.0", "v1.1.0"), version("branch", "main", "dev-main")];
      // The edge's side, recorded: what the worker uploads, answered with that archive's shasum.
      const uploads: string[] = [];
      const edge = {
        uploadDist: async (_name: string, reference: string, archive: Uint8Array) => {
          uploads.push(reference);
          return createHash("sha1").update(archive).digest("hex");
        },
      } as unknown as EdgeClient;
      const driver = new GitCliDriver({ url: repo, cacheDir: path.join(work, "cache") });
      await driver.open();
      try {
        await buildZipballs(edge, driver, { name: "acme/a", versions, subdirectory: "packages/a" }, new Map());
      } finally {
        await driver.close();
      }
      expect(uploads).toEqual([sha]);
      expect(versions[0].entry.dist?.shasum).toMatch(/^[0-9a-f]{40}$/);
      expect(versions[1].entry.dist?.shasum).toBe(versions[0].entry.dist?.shasum);
    } finally {
      rmSync(work, { recursive: true, force: true });
    }
  });
});
