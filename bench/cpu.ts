// CPU time of a whole server (every process in its process group: cluster workers, workerd
// under Miniflare), from /proc. Per request it is a figure that other work on a shared machine
// hardly moves, unlike req/s.
import { readdirSync, readFileSync } from "node:fs";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux

/** utime + stime of every process in group `pgid`, in microseconds. */
export function groupCpuMicros(pgid: number): number {
  let ticks = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the command's closing parenthesis: state ppid pgrp ... utime(12th) stime(13th).
      const fields = readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ");
      if (Number(fields[2]) === pgid) ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return (ticks * 1_000_000) / TICKS_PER_SECOND;
}

/**
 * On-CPU nanoseconds of every thread of every process in group `pgid` (/proc/<pid>/task/<tid>/
 * schedstat): fine-grained enough for one request, but threads that have ended are not counted,
 * so use it only across a short window on a server whose threads live on (workerd).
 */
export function groupCpuNanos(pgid: number): number {
  let nanos = 0;
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (Number(readFileSync(`/proc/${entry}/stat`, "utf8").split(") ")[1]!.split(" ")[2]) !== pgid) continue;
      for (const task of readdirSync(`/proc/${entry}/task`)) nanos += Number(readFileSync(`/proc/${entry}/task/${task}/schedstat`, "utf8").split(" ")[0]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return nanos;
}
