import { describe, expect, it } from "vitest";
import { readEnvFile, writeEnvFileText } from "./env-file.ts";

describe("the Worker's env file", () => {
  it("reads back exactly what was written, quotes, newlines and = signs included", () => {
    const vars = { JWT_SECRET: 'a"b\\c=d', ADMIN_PASSWORD: "two\nlines 'and' spaces", PUBLIC_URL: "https://packages.example.com", EMPTY: "" };
    expect(readEnvFile(writeEnvFileText(vars))).toEqual(vars);
  });

  it("skips lines that are not NAME=value", () => {
    expect(readEnvFile('# comment\n\nlower="x"\nOK="1"\n')).toEqual({ OK: "1" });
  });
});
