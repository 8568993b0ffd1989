// Rate limits as GitHub, GitLab and Retry-After state them, and Link headers' next page.
import { describe, expect, it } from "vitest";
import { linkNext, rateLimitResume } from "./provider-http.ts";

const answer = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });

describe("provider HTTP rules", () => {
  const now = 1_000_000;

  it("resumes at GitHub's x-ratelimit-reset, GitLab's ratelimit-reset, or after Retry-After", () => {
    expect(rateLimitResume(answer(403, { "x-ratelimit-remaining": "0", "x-ratelimit-reset": "5000" }), now)).toBe(5_000_000);
    expect(rateLimitResume(answer(429, { "ratelimit-remaining": "0", "ratelimit-reset": "6000" }), now)).toBe(6_000_000);
    expect(rateLimitResume(answer(429, { "retry-after": "30" }), now)).toBe(now + 30_000);
    expect(rateLimitResume(answer(429, {}), now)).toBe(now + 60_000);
  });

  it("treats a 403 without rate-limit headers as a refusal, not a limit", () => {
    expect(rateLimitResume(answer(403, { "x-ratelimit-remaining": "12" }), now)).toBeNull();
    expect(rateLimitResume(answer(500, { "retry-after": "1" }), now)).toBeNull();
  });

  it("finds the next page in a Link header", () => {
    const link = '<https://api.github.com/orgs/a/repos?page=3>; rel="next", <https://api.github.com/orgs/a/repos?page=9>; rel="last"';
    expect(linkNext(new Headers({ link }))).toBe("https://api.github.com/orgs/a/repos?page=3");
    expect(linkNext(new Headers({ link: '<https://x/?page=1>; rel="prev"' }))).toBeNull();
    expect(linkNext(new Headers())).toBeNull();
  });
});
