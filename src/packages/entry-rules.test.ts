import { describe, expect, it } from "vitest";
import { entryNameProblem, entryTypeProblem } from "./entry-rules.ts";

describe("entry names", () => {
  it("accepts plain relative paths, directories and dots inside names", () => {
    for (const name of ["composer.json", "src/Hello.php", "src/", "a/b/c/", ".gitignore", "src/.hidden/x", "a..b/c...php", "naïve/ü.php", "weird name+(1).txt"]) {
      expect(entryNameProblem(name), name).toBeNull();
    }
  });

  it("refuses every way out of the target folder, naming the entry", () => {
    const cases: [string, RegExp][] = [
      ["", /empty name/],
      ["../evil.php", /"\.\." segment/],
      ["src/../../evil.php", /"\.\." segment/],
      ["src/..", /"\.\." segment/],
      ["./composer.json", /"\." segment/],
      ["/etc/passwd", /absolute path/],
      ["//server/share/x", /absolute path/],
      ["src\\..\\..\\evil.php", /backslash/],
      ["..\\evil.php", /backslash/],
      ["C:/Windows/evil.dll", /drive letter/],
      ["c:evil.php", /drive letter/],
      ["src//x.php", /empty path segment/],
      ["evil\0.php", /control character/],
      ["line\nbreak.php", /control character/],
    ];
    for (const [name, reason] of cases) {
      const problem = entryNameProblem(name);
      expect(problem, JSON.stringify(name)).toMatch(reason);
      if (name && !name.includes("\0") && !name.includes("\n")) expect(problem).toContain(`"${name}"`);
    }
    expect(entryNameProblem("evil\0.php")).toContain('"evil\\x00.php"');
  });
});

describe("entry types", () => {
  const unix = (mode: number) => ({ name: "x", externalAttributes: (mode << 16) >>> 0 });

  it("accepts regular files, directories and entries without a unix mode", () => {
    expect(entryTypeProblem(unix(0o100644))).toBeNull();
    expect(entryTypeProblem(unix(0o100755))).toBeNull();
    expect(entryTypeProblem(unix(0o040755))).toBeNull();
    expect(entryTypeProblem({ name: "x", externalAttributes: 0x20 })).toBeNull(); // DOS "archive" bit only
  });

  it("refuses symlinks, devices, FIFOs and sockets", () => {
    expect(entryTypeProblem({ name: "link", externalAttributes: (0o120777 << 16) >>> 0 })).toMatch(/"link" is a symbolic link/);
    expect(entryTypeProblem(unix(0o010644))).toMatch(/named pipe/);
    expect(entryTypeProblem(unix(0o020644))).toMatch(/character device/);
    expect(entryTypeProblem(unix(0o060644))).toMatch(/block device/);
    expect(entryTypeProblem(unix(0o140644))).toMatch(/socket/);
    expect(entryTypeProblem(unix(0o030644))).toMatch(/unknown file type/);
  });
});
