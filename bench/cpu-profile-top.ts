// The functions with the most self time in a V8/JSC CPU profile (.cpuprofile), as percentages:
// for bench/profile.ts (Node, in-process) and `bun --cpu-prof` files
// (`node bench/cpu-profile-top.ts <file.cpuprofile> [count]`).
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}

export interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export function topSelfTime(profile: CpuProfile, count: number): string {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const self = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, index) => {
    const delta = profile.timeDeltas[index] ?? 0;
    const frame = byId.get(id)!.callFrame;
    const where = frame.url ? `${frame.url.replace(/^.*\/node_modules\//, "").replace(/^file:\/\/.*?\/(src|bench)\//, "$1/")}:${frame.lineNumber + 1}` : "";
    const key = `${frame.functionName || "(anonymous)"} ${where}`.trim();
    self.set(key, (self.get(key) ?? 0) + delta);
    total += delta;
  });
  return [...self]
    .sort((a, b) => b[1] - a[1])
    .slice(0, count)
    .map(([key, time]) => `${((100 * time) / total).toFixed(1).padStart(5)}%  ${key}`)
    .join("\n");
}

if (process.argv[1] === fileURLToPath(import.meta.url) && process.argv[2]) console.log(topSelfTime(JSON.parse(readFileSync(process.argv[2], "utf8")) as CpuProfile, Number(process.argv[3] || 30)));
