/**
 * CPU time a process has used so far (user + system, all its threads), read from Linux's
 * /proc/<pid>/stat. Benchmarks take the difference over a run to say how much CPU each request
 * cost each process, which bounds the throughput no amount of concurrency can raise.
 * Returns undefined where /proc is not there.
 */
import { readFileSync } from "node:fs";

// Linux reports utime/stime in clock ticks of 1/100 s on every common build (USER_HZ).
const TICKS_PER_SECOND = 100;

export function processCpuMs(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  let stat: string;
  try {
    stat = readFileSync(`/proc/${pid}/stat`, "utf8");
  } catch {
    return undefined;
  }
  // The command name (field 2) is in parentheses and may hold spaces: count fields after it.
  const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
  const utime = Number(fields[11]);
  const stime = Number(fields[12]);
  return ((utime + stime) * 1000) / TICKS_PER_SECOND;
}
