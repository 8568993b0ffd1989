// composer.json text to the data Composer's VcsDriver loads.
import { describe, expect, it } from "vitest";
import { readComposerInfo, withCommitTime } from "./composer-info.ts";

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

  it("fills an empty `time` with the commit date in DATE_RFC3339", () => {
    const date = new Date(Date.UTC(2024, 0, 2, 3, 4, 5));
    expect(withCommitTime({ time: "" }, date).time).toBe("2024-01-02T03:04:05+00:00");
    expect(withCommitTime({ time: 0 }, date).time).toBe("2024-01-02T03:04:05+00:00");
    expect(withCommitTime({ time: "2020-01-01" }, date).time).toBe("2020-01-01");
  });
});
