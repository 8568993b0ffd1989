// A small run of the composer load script (bench/load-composer.ts), so the script keeps working:
// five real `composer update` clients, four customers with different grants, each lock exact.
import { describe, expect, it } from "vitest";
import { runComposerLoad } from "../../bench/load-composer.ts";
import { composerAvailable } from "../support/composer-cli.ts";

const hasComposer = composerAvailable();
if (!hasComposer && process.env.CI === "true") throw new Error("composer is required on CI");
if (!hasComposer) console.warn("\n!!! composer is not installed: the composer load smoke test is SKIPPED.\n");

describe.skipIf(!hasComposer)("composer load script, 5 clients", () => {
  it("finishes without errors and every client locks exactly its own view", async () => {
    const result = await runComposerLoad({ clients: 5 });
    expect(result.errors).toEqual([]);
    expect(result.clientMs).toHaveLength(5);
  });
});
