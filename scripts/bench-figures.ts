/** The benches' figures: autocannon runs, their medians and table, CPU and load, and the closing RESULT lines. */
import { readdirSync, readFileSync } from "node:fs";
import os from "node:os";
import autocannon from "autocannon";

/** How long a warm-up runs: 5 s, or less when the runs themselves are shorter (a tiny configuration). */
export const warmUpSeconds = (runSeconds: number, most = 5) => Math.max(1, Math.min(most, runSeconds));

export type Figures = {
  name: string;
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  requests: number;
};

export async function cannon(name: string, opts: autocannon.Options): Promise<Figures> {
  const result = await autocannon({ ...opts });
  return {
    name,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    requests: result.requests.total,
  };
}

/** Per column, the median of several runs of the same thing (errors are summed). */
export function medianFigures(name: string, runs: Figures[]): Figures {
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid]! : (s[mid - 1]! + s[mid]!) / 2;
  };
  return {
    name,
    rps: median(runs.map((r) => r.rps)),
    p50: median(runs.map((r) => r.p50)),
    p99: median(runs.map((r) => r.p99)),
    errors: runs.reduce((n, r) => n + r.errors, 0),
    non2xx: runs.reduce((n, r) => n + r.non2xx, 0),
    requests: runs.reduce((n, r) => n + r.requests, 0),
  };
}

export function printTable(rows: Figures[]): void {
  console.log("");
  console.log(
    `${"run".padEnd(28)}${"req/s".padStart(10)}${"p50 ms".padStart(10)}${"p99 ms".padStart(10)}${"errors".padStart(10)}${"non-2xx".padStart(10)}`,
  );
  for (const r of rows) {
    console.log(
      `${r.name.padEnd(28)}${r.rps.toFixed(1).padStart(10)}${String(r.p50).padStart(10)}${String(r.p99).padStart(10)}${String(r.errors).padStart(10)}${String(r.non2xx).padStart(10)}`,
    );
  }
}

export const loadAverage = () =>
  os
    .loadavg()
    .map((l) => l.toFixed(2))
    .join(" ");

/** CPU milliseconds of every PostgreSQL process on this machine (with the exited backends their postmaster reaped). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync("/proc")) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    } catch {
      continue; // exited meanwhile
    }
    if (stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")")) !== "postgres") continue;
    // utime, stime, cutime, cstime (proc(5)), in clock ticks of 10 ms
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    ticks += Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]);
  }
  return ticks * 10;
}

/**
 * Where a phase's CPU went: this Node process and PostgreSQL, per unit of work, beside the wall
 * time. On a machine with few cores it tells the app's own cost from waiting for the database.
 */
export function cpuMeter(): (label: string, units: number, unit: string) => void {
  const start = { node: process.cpuUsage(), pg: postgresCpuMs(), wall: performance.now() };
  return (label, units, unit) => {
    const node = process.cpuUsage(start.node);
    const per = (ms: number) => (ms / units).toFixed(2);
    console.log(
      `CPU ${label}: node ${per((node.user + node.system) / 1000)} ms/${unit}, postgres ${per(postgresCpuMs() - start.pg)} ms/${unit}, wall ${per(performance.now() - start.wall)} ms/${unit}`,
    );
  };
}

const results: string[] = [];
/** A figure for the closing lines: `RESULT <name> <value> <target>` (printResults prints them last); `digits` of a fraction. */
export function result(name: string, value: number, target: string, digits = 2): void {
  results.push(`RESULT ${name} ${Number.isInteger(value) ? value : value.toFixed(digits)} ${target}`);
}
export function printResults(): void {
  if (results.length) console.log(["", ...results].join("\n"));
}
