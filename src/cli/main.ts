// `satchel <command>`: operations on a running Satchel from outside, over its API.
import { backupCommand, restoreCommand } from "./backup-commands.ts";

const USAGE = `usage: satchel backup  --url <satchel-url> --out <file>     stream GET /api/backup into <file>
       satchel restore --url <satchel-url> <file>           POST <file> to /api/restore (an empty instance)
       satchel import list|satis <file> --into <satchel-url> [--wait <seconds>]
                                                            add the repositories of a list or a satis.json
       satchel import packeton --from <packeton-url> --into <satchel-url> [--wait <seconds>]
                                                            packages, artifact versions, groups and users of a Packeton
The admin API token comes from SATCHEL_TOKEN (or --token, which other users of this machine can see);
Packeton's admin <username>:<api token> from PACKETON_TOKEN (or a --token after --from);
--url defaults to SATCHEL_URL.`;

export async function main(argv: string[], env: Record<string, string | undefined>): Promise<number> {
  const [command, ...rest] = argv;
  if (command === "backup") return backupCommand(rest, env);
  if (command === "restore") return restoreCommand(rest, env);
  if (command === "import") return (await import("./import-command.ts")).importCommand(rest, env);
  if (command === "help" || command === "--help" || command === "-h") {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  process.stderr.write(`satchel: ${command ? `unknown command '${command}'` : "missing command"}\n${USAGE}\n`);
  return 2;
}
