import { describe, expect, it } from "vitest";
import { LoginExpressionError, loginAllowed, parseLoginExpression } from "./login-expression.ts";

const claims = { sub: "1", email: "Dora@Acme.com", email_verified: true, groups: ["acme-devs", "staff"], address: { country: "NL" }, age: 41 };
const allows = (expression: string, of: Record<string, unknown> = claims) => loginAllowed(parseLoginExpression(expression), of);

describe("login expressions", () => {
  it("evaluates Packeton's form and the operators over claims", () => {
    expect(allows(`"acme-devs" in groups and lower(email) ends with "@acme.com"`)).toBe(true);
    expect(allows(`data['email'] ends with '@Acme.com'`)).toBe(true);
    expect(allows(`email ends with "@acme.com"`)).toBe(false); // case-sensitive unless lower()
    expect(allows(`"sales" in groups or address.country == "NL"`)).toBe(true);
    expect(allows(`"sales" not in groups && !(age < 18) && groups contains "staff"`)).toBe(true);
    expect(allows(`email starts with "Dora" and email_verified == true and data["address"]["country"] in ["NL", "BE"]`)).toBe(true);
    expect(allows(`age >= 42 || email contains "@evil"`)).toBe(false);
  });

  it("treats a missing claim as null and a misapplied operator as false, never an error", () => {
    expect(allows(`"x" in missing`)).toBe(false);
    expect(allows(`missing == null`)).toBe(true);
    expect(allows(`groups ends with "x" or age starts with "4" or email > 3`)).toBe(false);
    expect(allows(`constructor != null or __proto__.polluted == true`)).toBe(false);
    expect(allows(`not missing.deeper[0]`)).toBe(true);
  });

  it("refuses what is not an expression, with the position", () => {
    const cases: [string, number, RegExp][] = [
      [`"acme-devs" in`, 15, /Expected a value but found the end/],
      [`email ends "@acme.com"`, 12, /Expected "with" after "ends"/],
      [`email groups`, 7, /Unexpected "groups"/],
      [`email == 'open`, 10, /Unterminated string/],
      [`eval(email)`, 1, /Unknown function "eval"/],
      [`groups; drop`, 7, /Unexpected character ";"/],
      [`(email == "a"`, 14, /Expected "\)"/],
    ];
    for (const [source, position, message] of cases) {
      const error = (() => {
        try {
          parseLoginExpression(source);
        } catch (caught) {
          return caught;
        }
      })();
      expect(error, source).toBeInstanceOf(LoginExpressionError);
      expect((error as LoginExpressionError).position, source).toBe(position);
      expect((error as Error).message, source).toMatch(message);
    }
    expect(() => parseLoginExpression("(".repeat(100) + "true" + ")".repeat(100))).toThrow(/nests too deeply/);
  });
});
