import { describe, expect, it } from "vitest";
import { validateComposerJson } from "./validate-composer-json.ts";

const validate = (doc: Record<string, unknown>, opts = {}) => validateComposerJson({ name: "acme/foo", ...doc }, opts);

describe("validateComposerJson", () => {
  it("accepts a typical composer.json untouched", () => {
    const doc = {
      name: "acme/foo",
      description: "Foo",
      type: "library",
      license: "MIT",
      keywords: ["foo", "bar"],
      homepage: "https://acme.example",
      authors: [{ name: "Ada", email: "ada@example.com" }],
      require: { php: ">=8.1", "psr/log": "^3.0" },
      autoload: { "psr-4": { "Acme\\Foo\\": "src/" } },
      time: "2021-01-02T03:04:05+00:00",
    };
    const result = validateComposerJson(doc);
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([]);
    expect(result.config).toEqual(doc);
  });

  it("requires a name, in Composer's words", () => {
    expect(validateComposerJson({}).errors).toEqual(["name : must be present"]);
    expect(validateComposerJson({ name: 5 }).errors).toEqual(["name : should be a string, integer given"]);
    expect(validateComposerJson({}, { requireName: false }).errors).toEqual([]);
    expect(validateComposerJson({ name: "Acme/Foo" }).errors).toEqual([
      "name : Acme/Foo is invalid, it should not contain uppercase characters. We suggest using acme/foo instead.",
    ]);
  });

  it("refuses platform names and over-long names (THE package-name rule)", () => {
    expect(validateComposerJson({ name: "php" }).errors[0]).toMatch(/platform package name/);
    expect(validateComposerJson({ name: `acme/${"x".repeat(251)}` }).errors[0]).toMatch(/longer than 255/);
  });

  it("checks a version only when present, or when required", () => {
    expect(validate({ version: "1.0.0" }).errors).toEqual([]);
    expect(validate({ version: 2 }).config.version).toBe("2");
    expect(validate({ version: "bogus" }).errors).toEqual(['version : invalid value (bogus): Invalid version string "bogus"']);
    expect(validate({}, { requireVersion: true }).errors).toEqual(["version : must be present"]);
  });

  it("treats null as absent, as PHP's isset() does", () => {
    const result = validate({ description: null, homepage: null, require: null, time: null });
    expect(result.errors).toEqual([]);
    expect(result.config).toEqual({ name: "acme/foo" });
  });

  it("reports wrong types as errors and drops the field", () => {
    const result = validate({ description: 5, keywords: "x", authors: "me", require: "x", autoload: 5 });
    expect(result.errors).toEqual([
      "description : should be a string, integer given",
      "keywords : should be an array, string given",
      "authors : should be an array, string given",
      "require : should be an array, string given",
      "autoload : should be an array, integer given",
    ]);
    expect(result.config).toEqual({ name: "acme/foo" });
  });

  it("drops unsafe or malformed URLs with a warning", () => {
    const result = validate({
      homepage: "javascript:alert(1)",
      support: { issues: "ftp://x", source: "https://example.com/src", irc: "https://x", email: "nope" },
      authors: [{ name: "A", homepage: "data:text/html,x" }],
      funding: [{ type: "x", url: "//no-scheme" }],
    });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      "homepage : invalid value (javascript:alert(1)), must be an http/https URL",
      "authors.0.homepage : invalid value (data:text/html,x), must be an http/https URL",
      "support.email : invalid value (nope), must be a valid email address",
      "support.irc : invalid value (https://x), must be a irc://<server>/<channel> or ircs:// URL",
      "support.issues : invalid value (ftp://x), must be an http/https URL",
      "funding.0.url : invalid value (//no-scheme), must be an http/https URL",
    ]);
    expect(result.config).toEqual({
      name: "acme/foo",
      support: { source: "https://example.com/src" },
      authors: [{ name: "A" }],
      funding: [{ type: "x" }],
    });
  });

  it("makes invalid link constraints errors and odd names warnings", () => {
    const result = validate({ require: { "a/b": "not a constraint", "Acme/Bar": "^1.0", "c/d": 5 } });
    expect(result.errors).toEqual([
      'require.a/b : invalid version constraint (Could not parse version constraint not: Invalid version string "not")',
      "require.c/d : invalid value, must be a string containing a version constraint",
    ]);
    expect(result.warnings).toEqual(["require.Acme/Bar is invalid, it should not contain uppercase characters. Please use acme/bar instead."]);
    expect(result.config.require).toEqual({ "Acme/Bar": "^1.0" });
  });

  it("warns about unbound and exact requirements (CHECK_ALL)", () => {
    const result = validate({ require: { "a/b": ">=1.0", "c/d": "1.2.3", php: ">=8", "e/f": "0.1.0" } });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      "require.a/b : unbound version constraints (>=1.0) should be avoided",
      "require.c/d : exact version constraints (1.2.3) should be avoided if the package follows semantic versioning",
    ]);
  });

  it("warns about each kind only when its flag is set (Packagist's loader sets none)", () => {
    const doc = { require: { "a/b": ">=1.0", "c/d": "1.2.3" } };
    expect(validate(doc, { flags: 0 }).warnings).toEqual([]);
    expect(validate(doc, { flags: 1 }).warnings).toEqual(["require.a/b : unbound version constraints (>=1.0) should be avoided"]);
    expect(validate(doc, { flags: 2 }).warnings).toEqual([
      "require.c/d : exact version constraints (1.2.3) should be avoided if the package follows semantic versioning",
    ]);
  });

  it("refuses self links and conflicts with replaced packages", () => {
    expect(validate({ require: { "ACME/FOO": "^1" } }).errors).toEqual(["require.ACME/FOO : a package cannot set a require on itself"]);
    expect(validate({ conflict: { "a/b": "^1" }, replace: { "a/b": "*" } }).errors).toEqual([
      "conflict.a/b : you cannot conflict with a package that is also replaced, as replace already creates an implicit conflict rule",
    ]);
  });

  it("parses release dates and refuses bad ones", () => {
    expect(validate({ time: "2020-02-30 10:00:00" }).errors).toEqual([]);
    expect(validate({ time: "2020-13-01" }).errors).toEqual(["time : invalid value (2020-13-01): Failed to parse time string (2020-13-01)"]);
    expect(validate({ time: "next monday" }).errors).toHaveLength(1);
  });

  it("checks license syntax only for recent releases, and license types always", () => {
    const now = new Date("2024-06-01T00:00:00Z");
    expect(validate({ license: "Not A License" }, { now }).warnings).toHaveLength(1);
    expect(validate({ license: "Not A License", time: "2024-05-30" }, { now }).warnings).toHaveLength(1);
    expect(validate({ license: "Not A License", time: "2020-01-01" }, { now }).warnings).toEqual([]);
    expect(validate({ license: ["MIT", "proprietary", "(MIT or GPL-2.0-only)", "Apache-2.0 WITH LLVM-exception"] }, { now }).warnings).toEqual([]);
    expect(validate({ license: " MIT" }, { now }).warnings).toEqual(['License " MIT" must not contain extra spaces, make sure to trim it.']);
    expect(validate({ license: ["MIT", 1], time: "2015-01-01" }).errors).toEqual(["license.1 : must be a string, integer given"]);
    expect(validate({ license: 5 }).errors).toEqual(["license : should be a string or an array of strings, integer given"]);
  });

  it("validates autoload and target-dir as Composer does", () => {
    expect(validate({ autoload: { "psr-4": { Acme: "src" } } }).errors).toEqual([
      "autoload.psr-4 : invalid value (Acme), namespaces must end with a namespace separator, should be Acme\\\\",
    ]);
    expect(validate({ autoload: { psr5: [] } }).errors).toEqual([
      "autoload : invalid value (psr5), must be one of psr-0, psr-4, classmap, files, exclude-from-classmap",
    ]);
    expect(validate({ autoload: { "psr-4": { "A\\": "src" } }, "target-dir": "A" }).errors).toEqual([
      "target-dir : this can not be used together with the autoload.psr-4 setting, remove target-dir to upgrade to psr-4",
    ]);
  });

  it("drops broken branch aliases with a warning", () => {
    const result = validate({ extra: { "branch-alias": { "dev-main": "1.x", "dev-next": "2.x-dev", "1.x-dev": "2.0.x-dev" } } });
    expect(result.errors).toEqual([]);
    expect(result.warnings).toEqual([
      "extra.branch-alias.dev-main : the target branch (1.x) must end in -dev",
      "extra.branch-alias.1.x-dev : the target branch (2.0.x-dev) is not a valid numeric alias for this version",
    ]);
    expect(result.config.extra).toEqual({ "branch-alias": { "dev-next": "2.x-dev" } });
  });

  it("refuses what Composer's loader would crash on", () => {
    expect(validate({ bin: [5] }).errors).toEqual(["bin.0 : must be a string, integer given"]);
    expect(validate({ require: ["^1.0"] }).errors).toContain("require.0 : invalid key, a link needs a package name, not a list index");
    expect(validate({ autoload: { "psr-4": "src/" } }).errors).toEqual(["autoload.psr-4 : should be an array, string given"]);
    expect(validate({ "autoload-dev": "x" }).errors).toEqual(["autoload-dev : should be an array, string given"]);
  });

  it("coerces abandoned to what Composer publishes", () => {
    expect(validate({ abandoned: "acme/bar" }).config.abandoned).toBe("acme/bar");
    expect(validate({ abandoned: 1 }).config.abandoned).toBe(true);
    expect(validate({ abandoned: [] }).config.abandoned).toBe(false);
  });

  it("does not modify its input", () => {
    const doc = { name: "acme/foo", homepage: "ftp://x", keywords: ["ok", "bad!"] };
    const copy = structuredClone(doc);
    const result = validateComposerJson(doc);
    expect(doc).toEqual(copy);
    expect(result.config).toEqual({ name: "acme/foo", keywords: ["ok"] });
  });

  it("refuses a document that is not an object", () => {
    expect(validateComposerJson("x").errors).toEqual(["composer.json : should be an object, string given"]);
    expect(validateComposerJson([]).errors).toEqual(["name : must be present"]);
  });
});
