// A real tool an end-to-end test file drives (composer, sshd, chromium): without it the tests
// cannot run. On CI that fails the run; locally it prints one loud line and the tests skip.
export function requireTool(available: boolean, tool: string, install: string, tests: string, env: NodeJS.ProcessEnv = process.env): boolean {
  if (available) return true;
  if (env.CI === "true") throw new Error(`${tool} is required on CI for ${tests} (${install})`);
  console.warn(`\n!!! ${tool} is missing: ${tests} are SKIPPED. ${install}\n`);
  return false;
}
