// `npm start` applies migrations/ to the local D1 with wrangler, which prints a table per
// migration and an interactive-looking prompt. We keep its output to ourselves and print one
// line per migration actually applied; on failure, all of wrangler's output.
import { spawnSync } from "node:child_process";

export function applyLocalMigrations(wrangler: string, persistTo: string, options: { cwd: string; env: NodeJS.ProcessEnv }): void {
  const result = spawnSync(wrangler, ["d1", "migrations", "apply", "DB", "--local", "--persist-to", persistTo], {
    ...options,
    env: { ...options.env, CI: "true" },
    encoding: "utf8",
  });
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}`;
  if (result.status !== 0) {
    process.stderr.write(output);
    process.stderr.write(`Applying the database migrations failed (wrangler exited with ${result.status ?? result.signal}).\n`);
    process.exit(result.status ?? 1);
  }
  for (const name of migrationsToApply(output)) console.log(`Applied migration ${name}`);
}

/** The names in wrangler's "Migrations to be applied" table; none when it says there are none. */
export function migrationsToApply(wranglerOutput: string): string[] {
  const listed = wranglerOutput.split(/About to apply/)[0] ?? "";
  if (!listed.includes("Migrations to be applied")) return [];
  return [...new Set([...listed.matchAll(/│\s*(\S+\.sql)\s*│/g)].map((match) => match[1]!))];
}
