// `satchel-git <command>`: dispatches to the command's module, loaded only when used (so `scan`
// starts without loading the job loop, and works before src/run/run-command.ts exists).
const USAGE = `usage: satchel-git run [options]            process jobs from the edge
       satchel-git scan <git-url-or-path> [options]
                                           print the versions a repository yields (JSON)`;

type Command = (argv: string[]) => Promise<number>;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "scan") return (await import("./scan.ts")).scanCommand(rest);
  if (command === "run") return (await loadRunCommand())(rest);
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stderr.write(`satchel-git: ${command ? `unknown command '${command}'` : "missing command"}\n${USAGE}\n`);
  return 2;
}

/** src/run/run-command.ts exports runCommand(argv); resolved at run time on purpose. */
async function loadRunCommand(): Promise<Command> {
  const specifier = new URL("../run/run-command.ts", import.meta.url).href;
  const module = (await import(specifier)) as { runCommand?: Command };
  if (typeof module.runCommand !== "function") throw new Error("src/run/run-command.ts does not export runCommand(argv)");
  return module.runCommand;
}
