// composer.json text to the data Composer's VcsDriver loads.
import { describe, expect, it } from "vitest";
import { needsCommitTime, readComposerInfo } from "./composer-info.ts";

const read = (content: string) => readComposerInfo({ kind: "file", content });

describe("readComposerInfo", () => {
  it("treats absent, blank, \"0\", empty and non-object documents as no composer.json", () => {
    expect(readComposerInfo(undefined).kind).toBe("none");
    expect(readComposerInfo({ kind: "missing" }).kind).toBe("none");
    for (const text of ["", " \n\t", "0", " 0 ", "{}", "[]", '"x"', "12", "null", "true"]) expect(read(text).kind, JSON.stringify(text)).toBe("none");
  });

  it("refuses broken JSON and a byte order mark, as json_decode() does", () => {
    expect(read('{"a":1,}').kind).toBe("error");
    expect(read('\ufeff{"a":1}').kind).toBe("error");
    expect(readComposerInfo({ kind: "unreadable", reason: "a symlink" })).toEqual({ kind: "error", reason: "composer.json is unusable: a symlink" });
  });

  it("keys a JSON list like a PHP array", () => {
    expect(read("[1, 2]")).toEqual({ kind: "data", data: { 0: 1, 1: 2 } });
  });

  it("takes the commit date for an empty `time` only (`empty($composer['time'])`)", () => {
    expect(needsCommitTime({ time: "" })).toBe(true);
    expect(needsCommitTime({ time: 0 })).toBe(true);
    expect(needsCommitTime({})).toBe(true);
    expect(needsCommitTime({ time: "2020-01-01" })).toBe(false);
  });
});
