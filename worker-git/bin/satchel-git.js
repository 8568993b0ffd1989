#!/usr/bin/env node
// Stub until the git worker issue lands: prints usage and exits non-zero for unknown commands.
const [command] = process.argv.slice(2);
process.stderr.write(`satchel-git: ${command ? `'${command}' is not implemented yet` : "usage: satchel-git run | scan <git-url-or-path>"}\n`);
process.exit(2);
