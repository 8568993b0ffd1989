// The env file scripts/start.ts writes for the Worker's variables (wrangler's --env-file format,
// `NAME="json string"` per line), read back by scripts/edge-local.ts.

export function writeEnvFileText(vars: Record<string, string>): string {
  return Object.entries(vars).map(([name, value]) => `${name}=${JSON.stringify(value)}`).join("\n") + "\n";
}

export function readEnvFile(text: string): Record<string, string> {
  const vars: Record<string, string> = {};
  for (const line of text.split("\n")) {
    const match = /^([A-Z_][A-Z0-9_]*)=(.*)$/.exec(line);
    if (match) vars[match[1]!] = JSON.parse(match[2]!) as string;
  }
  return vars;
}
