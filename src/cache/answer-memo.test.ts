import { describe, expect, it } from "vitest";
import { AnswerMemo } from "./answer-memo.ts";

const answer = (body: string, until = 1_000) => ({ status: 200, body, init: { status: 200, headers: {} }, endpoint: 1, until });

describe("AnswerMemo", () => {
  it("keeps an answer until its horizon", () => {
    const memo = new AnswerMemo(1000);
    memo.set("k", answer("a", 500), memo.generation, 0);
    expect(memo.get("k", 499)?.body).toBe("a");
    expect(memo.get("k", 500)).toBeUndefined();
  });

  it("does not keep an answer computed across a write, nor while one is in flight", () => {
    const memo = new AnswerMemo(1000);
    const before = memo.generation;
    memo.beginWrite();
    memo.set("during", answer("a"), memo.generation, 0);
    expect(memo.get("during", 1)).toBeUndefined();
    memo.endWrite();
    memo.set("across", answer("b"), before, 0);
    expect(memo.get("across", 1)).toBeUndefined();
    memo.set("after", answer("c"), memo.generation, 0);
    expect(memo.get("after", 1)?.body).toBe("c");
    memo.forget();
    expect(memo.get("after", 1)).toBeUndefined();
  });

  it("stays within its entry and byte bounds, dropping the oldest answers first", () => {
    const memo = new AnswerMemo(1000, 16 * 4096, 3);
    for (const key of ["a", "b", "c", "d"]) memo.set(key, answer(key), memo.generation, 0);
    expect(memo.get("a", 1)).toBeUndefined();
    expect(memo.get("d", 1)?.body).toBe("d");
    expect(memo.stats().entries).toBe(3);
    const bytes = new AnswerMemo(1000, 16 * 4096, 1000);
    for (let i = 0; i < 40; i++) bytes.set(`k${i}`, answer("x".repeat(1500)), bytes.generation, 0);
    expect(bytes.stats().entries).toBeLessThan(25);
    expect(bytes.get("k39", 1)).toBeDefined();
    bytes.set("huge", answer("x".repeat(5000)), bytes.generation, 0);
    expect(bytes.get("huge", 1)).toBeUndefined();
  });
});
