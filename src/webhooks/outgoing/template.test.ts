import { describe, expect, it } from "vitest";
import { parseTemplate, renderTemplate, TemplateError, type Escape } from "./template.ts";

const event = {
  event: "new_release",
  package: { name: "acme/lib", url: "https://repo.example.test/packages/acme/lib" },
  versions: [{ version: "1.0.0" }, { version: "1.1.0" }],
  user: null,
  note: 'quote " and \\ and\nnewline',
};

const render = (source: string, escape: Escape = "json", data: unknown = event) => renderTemplate(parseTemplate(source), data, escape);

describe("payload templates", () => {
  it("renders values, lists with separators and inverted sections", () => {
    expect(render("{{package.name}} has {{versions.length}} new versions")).toBe("acme/lib has 2 new versions");
    expect(render("[{{#versions}}{{version}}{{^@last}}, {{/@last}}{{/versions}}]")).toBe("[1.0.0, 1.1.0]");
    expect(render("{{#user}}by {{username}}{{/user}}{{^user}}by the scheduler{{/user}}")).toBe("by the scheduler");
    expect(render("{{#versions}}{{@index}}:{{package.name}}@{{version}} {{/versions}}")).toBe("0:acme/lib@1.0.0 1:acme/lib@1.1.0 ");
    expect(render("{{! a comment }}{{json versions}}")).toBe('[{"version":"1.0.0"},{"version":"1.1.0"}]');
  });

  it("escapes values inside JSON strings, and leaves them alone for text or with triple braces", () => {
    const json = render('{"text": "{{note}}"}');
    expect(JSON.parse(json)).toEqual({ text: event.note });
    expect(render("{{note}}", "none")).toBe(event.note);
    expect(render("{{{note}}}")).toBe(event.note);
    expect(new URLSearchParams(render("text={{note}}&by={{package.name}}", "url")).get("text")).toBe(event.note);
  });

  it("renders missing data as nothing and never reaches beyond the event's own data", () => {
    expect(render("[{{missing.deep.path}}][{{package.name.length}}]")).toBe("[][]");
    expect(render("{{#package}}{{toString}}{{hasOwnProperty}}{{/package}}")).toBe("");
    for (const bad of ["{{__proto__}}", "{{package.constructor}}", "{{#a}}x", "{{/a}}", "{{#a}}{{/b}}", "{{process.env}}x{{a b}}", "{{a[0]}}"]) {
      expect(() => parseTemplate(bad), bad).toThrow(TemplateError);
    }
  });

  it("bounds the output and the work", () => {
    const wide = { items: Array.from({ length: 1000 }, (_, i) => i) };
    expect(() => renderTemplate(parseTemplate("{{#items}}{{#items}}{{#items}}x{{/items}}{{/items}}{{/items}}"), wide, "json")).toThrow(/steps|larger/);
    expect(() => renderTemplate(parseTemplate("{{#items}}{{json items}}{{/items}}"), wide, "json")).toThrow(/larger/);
    expect(() => parseTemplate("x".repeat(20_000))).toThrow(/longer/);
    expect(() => parseTemplate("{{#a}}".repeat(9) + "{{/a}}".repeat(9))).toThrow(/deeper/);
  });
});
