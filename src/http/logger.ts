import type { Logger } from "../ports.ts";

// Structured one-line JSON logs. Callers pass ids and names, never secrets or tokens.
const write = (level: string) => (message: string, fields?: Record<string, unknown>) =>
  console.log(JSON.stringify({ level, time: new Date().toISOString(), message, ...fields }));

export const consoleLogger: Logger = { info: write("info"), warn: write("warn"), error: write("error") };
