import { strFromU8, strToU8, unzipSync, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { craftZip } from "../../test/contract/crafted-zip.ts";
import { archiveToStore, inspectArchive, verifyArchive } from "./archive.ts";
import { readZipDirectory } from "./zip-directory.ts";

const limits = { maxUnpackedBytes: 64 * 1024 * 1024, maxEntries: 1000 };
const composer = { name: "composer.json", content: JSON.stringify({ name: "acme/lib" }) };

describe("re-packing under one folder", () => {
  it("moves every entry, keeps contents and exec bits, and drops setuid bits", async () => {
    const zip = craftZip([composer, { name: "bin/run", content: "#!/bin/sh\n", unixMode: 0o104755 }, { name: "src/A.php", content: "<?php\n".repeat(100), method: 0 }, { name: "src/", content: "", unixMode: 0o040755 }]);
    const inspected = await inspectArchive(zip, limits);
    const stored = archiveToStore(zip, inspected, "acme-lib-1.0.0.0");
    const files = unzipSync(stored);
    expect(Object.keys(files).sort()).toEqual(["acme-lib-1.0.0.0/bin/run", "acme-lib-1.0.0.0/composer.json", "acme-lib-1.0.0.0/src/", "acme-lib-1.0.0.0/src/A.php"]);
    expect(strFromU8(files["acme-lib-1.0.0.0/src/A.php"])).toBe("<?php\n".repeat(100));
    const modes = Object.fromEntries(readZipDirectory(stored, 10).map((entry) => [entry.name, (entry.externalAttributes >>> 16).toString(8)]));
    expect(modes["acme-lib-1.0.0.0/bin/run"]).toBe("100755");
    // The re-packed archive passes the same checks as an upload.
    await verifyArchive(stored, await inspectArchive(stored, limits), limits);
  });

  it("keeps an archive with one top-level directory as it is", async () => {
    const zip = zipSync({ "lib/composer.json": strToU8(JSON.stringify({ name: "acme/lib" })), "lib/src/A.php": strToU8("<?php") });
    const inspected = await inspectArchive(zip, limits);
    expect(inspected.prefix).toBe("lib/");
    expect(archiveToStore(zip, inspected, "ignored")).toBe(zip);
  });
});

describe("reading what an archive declares", () => {
  it("answers 400, never a crash, for truncated and garbled archives", async () => {
    const zip = craftZip([composer, { name: "src/A.php", content: "<?php\n".repeat(50) }]);
    for (const cut of [1, 10, 22, 40, zip.length - 30]) {
      await expect(inspectArchive(zip.subarray(0, zip.length - cut), limits), `cut ${cut}`).rejects.toMatchObject({ status: 400 });
    }
    const garbled = zip.slice();
    garbled.fill(0xff, 40, 60);
    await expect(inspectArchive(garbled, limits).then((inspected) => verifyArchive(garbled, inspected, limits))).rejects.toMatchObject({ status: 400 });
  });

  it("refuses a file and a directory of the same name, and reads composer.json past a BOM as Composer does", async () => {
    await expect(inspectArchive(craftZip([composer, { name: "src", content: "x" }, { name: "src/", content: "" }]), limits)).rejects.toThrow(/two entries named "src\/"/);
    const withBom = craftZip([{ name: "composer.json", content: new Uint8Array([0xef, 0xbb, 0xbf, ...strToU8(composer.content)]) }]);
    expect(JSON.parse((await inspectArchive(withBom, limits)).composerJson)).toEqual({ name: "acme/lib" });
  });

  it("reads zip64 sizes from the extra field", async () => {
    const zip = withZip64Sizes(craftZip([{ ...composer, method: 0 }]));
    const [entry] = readZipDirectory(zip, 10);
    expect(entry.size).toBe(composer.content.length);
    const inspected = await inspectArchive(zip, limits);
    expect(JSON.parse(inspected.composerJson)).toEqual({ name: "acme/lib" });
  });
});

describe("verifying every entry", () => {
  it("gives the event loop turns while it checks a large archive, not one long block", async () => {
    const content = new Uint8Array(32 * 1024 * 1024);
    for (let at = 0; at < content.length; at += 65536) crypto.getRandomValues(content.subarray(at, at + 65536));
    const compressible = strToU8("<?php echo 'hello';\n".repeat(400_000));
    const zip = craftZip([composer, { name: "data.bin", content, method: 0 }, { name: "src/big.php", content: compressible }]);
    const inspected = await inspectArchive(zip, limits);
    // Timers run only when the event loop gets a turn: about one per 4 MB checked.
    let ticks = 0;
    const timer = setInterval(() => ticks++, 0);
    await verifyArchive(zip, inspected, limits);
    clearInterval(timer);
    expect(ticks).toBeGreaterThanOrEqual(5);
  });
});

/** Rewrites a one-entry stored archive so its central sizes live in a zip64 extra field. */
function withZip64Sizes(zip: Uint8Array): Uint8Array {
  const view = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  const central = zip.length - 22 - view.getUint32(zip.length - 22 + 12, true);
  const nameLength = view.getUint16(central + 28, true);
  const size = view.getUint32(central + 24, true);
  const extra = new Uint8Array(20);
  const extraView = new DataView(extra.buffer);
  extraView.setUint16(0, 0x0001, true);
  extraView.setUint16(2, 16, true);
  extraView.setUint32(4, size, true);
  extraView.setUint32(12, view.getUint32(central + 20, true), true);
  const out = new Uint8Array(zip.length + extra.length);
  out.set(zip.subarray(0, central + 46 + nameLength));
  out.set(extra, central + 46 + nameLength);
  out.set(zip.subarray(central + 46 + nameLength), central + 46 + nameLength + extra.length);
  const outView = new DataView(out.buffer);
  outView.setUint32(central + 20, 0xffffffff, true);
  outView.setUint32(central + 24, 0xffffffff, true);
  outView.setUint16(central + 30, extra.length, true);
  outView.setUint32(out.length - 22 + 12, view.getUint32(zip.length - 22 + 12, true) + extra.length, true);
  return out;
}
