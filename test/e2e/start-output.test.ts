// What `npm start` and `npm run serve` print on a first start: where Satchel listens, how to
// sign in, one line per migration applied, and nothing that looks like a failure (no
// interactive-looking migration prompt, no "claim failed" from a worker that came up first).
import { existsSync } from "node:fs";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { startSatchel, type Runtime, type SatchelProcess } from "../support/satchel-process.ts";

const FAILURE_LIKE = /error|fail|warn|retrying|about to apply|fallback value/i;

for (const runtime of ["workerd", "node"] as Runtime[]) {
  describe(`${runtime}: start-up output`, () => {
    let satchel: SatchelProcess;
    afterAll(() => satchel?.stop());

    it("fits on one screen and says where to sign in, with no failure-like line", async () => {
      satchel = await startSatchel(runtime);
      // The start script and the git worker each print once they see the edge answer.
      const settled = () => satchel.output().includes("polling") && satchel.output().includes("Stop with Ctrl-C");
      for (let i = 0; i < 40 && !settled(); i++) await new Promise((resolve) => setTimeout(resolve, 250));
      const lines = satchel.output().trimEnd().split("\n");
      expect(lines.length).toBeLessThanOrEqual(24);
      expect(lines.filter((line) => FAILURE_LIKE.test(line))).toEqual([]);
      // npm start shows the Worker's warnings and errors only, as wrangler dev at --log-level warn did.
      if (runtime === "workerd") expect(lines.filter((line) => line.startsWith('{"level":"info"'))).toEqual([]);
      expect(satchel.output()).toMatch(/(ready|listening) on http:\/\/127\.0\.0\.1:\d+/);
      expect(satchel.output()).toContain('/login (sign in as "admin")');
      expect(satchel.output()).toMatch(/satchel-git worker \S+ polling/);
      if (runtime === "workerd") expect(lines.filter((line) => line.startsWith("Applied migration"))).toEqual(expect.arrayContaining(["Applied migration 0000_init.sql"]));
      // wrangler's per-request trace store (scripts/wrangler-env.ts) is off: it has no folder.
      if (runtime === "workerd") expect(existsSync(path.join(satchel.dataDir, "wrangler-state", "v3", "observability"))).toBe(false);
    });

    if (runtime === "workerd") {
      it("keeps wrangler's Local Explorer (raw SQL on the database, no credentials) off the port", async () => {
        // With it on, this lists the D1 databases, and .../database/<id>/raw runs any SQL.
        const response = await fetch(`${satchel.url}/cdn-cgi/local/explorer/api/d1/database`);
        expect(response.status).toBe(404);
        expect(await response.json()).toMatchObject({ error: { code: "not_found" } });
      });
    }
  });
}
