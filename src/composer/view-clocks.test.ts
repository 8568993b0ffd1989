import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { folderBlobStore } from "../blobs/folder.ts";
import { ViewClocks } from "./view-clocks.ts";

describe("ViewClocks", async () => {
  const clocks = new ViewClocks(folderBlobStore(await mkdtemp(path.join(tmpdir(), "view-clocks-"))));

  it("keeps a view's clock while its content is the same, and moves it when the content changes", async () => {
    const scope = "p2\ntags\nacme/lib\n<2.0";
    expect(await clocks.clockFor({ scope, content: "A", changedAt: 500, firstAt: 100 })).toBe(100);
    // A publish outside the view: new package clock, same content.
    expect(await clocks.clockFor({ scope, content: "A", changedAt: 600, firstAt: 100 })).toBe(100);
    expect(await clocks.clockFor({ scope, content: "B", changedAt: 700, firstAt: 100 })).toBe(700);
    // Back to earlier content: still a change, so a later date.
    expect(await clocks.clockFor({ scope, content: "A", changedAt: 800, firstAt: 100 })).toBe(800);
  });

  it("does not wind the record back for an older document derived late", async () => {
    const scope = "p2\ntags\nacme/other\n<2.0";
    expect(await clocks.clockFor({ scope, content: "new", changedAt: 900, firstAt: 900 })).toBe(900);
    expect(await clocks.clockFor({ scope, content: "old", changedAt: 800, firstAt: 800 })).toBe(800);
    expect(await clocks.clockFor({ scope, content: "new", changedAt: 900, firstAt: 900 })).toBe(900);
  });

  it("keeps scopes apart", async () => {
    expect(await clocks.clockFor({ scope: "one", content: "X", changedAt: 50, firstAt: 10 })).toBe(10);
    expect(await clocks.clockFor({ scope: "two", content: "X", changedAt: 60, firstAt: 20 })).toBe(20);
  });
});
