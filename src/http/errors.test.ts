import { describe, expect, it } from "vitest";
import { AppError, notFound } from "./errors.ts";

describe("AppError.body", () => {
  it("is the contract's error body, with Composer's warning only when there is one", () => {
    expect(JSON.parse(new AppError(429, "rate_limited", "Slow down.").body())).toEqual({ error: { code: "rate_limited", message: "Slow down." } });
    expect(JSON.parse(notFound("No such package.").body())).toEqual({ error: { code: "not_found", message: "No such package." }, warning: "No such package." });
  });
});
