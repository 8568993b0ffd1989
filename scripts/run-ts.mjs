// `node scripts/run-ts.mjs <file.ts> [args...]`: the npm scripts' entry. Runs the TypeScript
// file on this Node when it is new enough, else on the pinned Node 22 from node_modules, else
// says what to do as the first line instead of failing on ".ts" (worker-git/bin/require-node.js).
import { pathToFileURL } from "node:url";
import path from "node:path";
import { requireNode } from "../worker-git/bin/require-node.js";

if (requireNode()) {
  process.argv.splice(1, 2, path.resolve(process.argv[2]));
  import(pathToFileURL(process.argv[1]).href);
}
