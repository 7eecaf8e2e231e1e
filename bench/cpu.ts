// Who used the CPU during a measurement (Linux /proc; elsewhere nothing is reported). The
// machine is shared — other people's tests run beside the bench — so each result says how
// much of the machine went to processes that are not the bench or its servers. A number
// measured while others were busy is not comparable with one measured on a quiet machine.
import { readdirSync, readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import pg from 'pg';

export interface CpuSnapshot {
  at: number;
  busy: number;
  total: number;
  steal: number;
  /** CPU ticks of this process, its descendants (the servers it started) and `extraPids`. */
  ours: number;
  /** The part of `ours` that is not this process (the load generator): the servers and database backends. */
  servers: number;
}

export interface CpuUsage {
  /** Share of the whole machine (all cores) that was busy, %. */
  machineBusyPercent: number;
  /** Share of the machine used by the bench process and its child processes, %. */
  benchPercent: number;
  /** Share used by everything else, %. PostgreSQL backends serving the bench count as the bench's. */
  otherPercent: number;
  /** Share the hypervisor took away (steal), %. */
  stealPercent: number;
  /**
   * CPU time the servers under test and their database backends used, ms (not the load
   * generator). Divided by the operations made, it stays comparable when others share the
   * machine, where throughput does not.
   */
  serverCpuMs: number;
}

// Linux reports process times in USER_HZ ticks, 100 per second on every architecture Node runs on.
const USER_HZ = 100;

function procStat(pid: string): { ppid: number; ticks: number } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(fields[1]), ticks: Number(fields[11]) + Number(fields[12]) };
  } catch {
    return undefined;
  }
}

export function cpuSnapshot(extraPids: Iterable<number> = []): CpuSnapshot | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8').split('\n')[0]!;
    const [user, nice, system, idle, iowait, irq, softirq, steal] = line.trim().split(/\s+/).slice(1).map(Number) as number[];
    const busy = user! + nice! + system! + irq! + softirq! + steal!;
    const stats = new Map<number, { ppid: number; ticks: number }>();
    for (const name of readdirSync('/proc')) {
      if (!/^\d+$/.test(name)) continue;
      const s = procStat(name);
      if (s) stats.set(Number(name), s);
    }
    let ours = 0;
    let servers = 0;
    const extra = new Set(extraPids);
    for (const [pid, s] of stats) {
      if (extra.has(pid)) {
        ours += s.ticks;
        servers += s.ticks;
        continue;
      }
      for (let p: number | undefined = pid, depth = 0; p && depth < 10; p = stats.get(p)?.ppid, depth++) {
        if (p === process.pid) {
          ours += s.ticks;
          if (pid !== process.pid) servers += s.ticks;
          break;
        }
      }
    }
    return { at: Date.now(), busy, total: busy + idle! + iowait!, steal: steal!, ours, servers };
  } catch {
    return undefined;
  }
}

export function cpuUsage(a: CpuSnapshot | undefined, b: CpuSnapshot | undefined): CpuUsage | undefined {
  if (!a || !b || b.total <= a.total) return undefined;
  const total = b.total - a.total;
  const pct = (n: number) => +Math.max(0, Math.min(100, (100 * n) / total)).toFixed(1);
  const machineBusyPercent = pct(b.busy - a.busy);
  // Process ticks and /proc/stat ticks share USER_HZ; a process that exits mid-window drops out.
  const benchPercent = pct(b.ours - a.ours);
  return {
    machineBusyPercent,
    benchPercent,
    otherPercent: +Math.max(0, machineBusyPercent - benchPercent).toFixed(1),
    stealPercent: pct(b.steal - a.steal),
    serverCpuMs: ((b.servers - a.servers) * 1000) / USER_HZ,
  };
}

export const cores = availableParallelism();

/**
 * Every process of a bench run that talks to PostgreSQL sets PGAPPNAME to this (see
 * server.ts), so the database backends working for the bench can be told from others'.
 */
export const BENCH_PG_APP = `pasarela-bench-${process.pid}`;

/** Pids of the PostgreSQL backends serving this bench run (none on SQLite or on failure). */
export async function databasePids(): Promise<number[]> {
  if ((process.env.BENCH_DB ?? 'sqlite').toLowerCase() !== 'postgres') return [];
  const client = new pg.Client({ connectionString: process.env.DATABASE_URL || 'postgres://postgres@127.0.0.1:5432/postgres', connectionTimeoutMillis: 3000 });
  try {
    await client.connect();
    const { rows } = await client.query<{ pid: number }>('select pid from pg_stat_activity where application_name = $1', [BENCH_PG_APP]);
    return rows.map((r) => r.pid);
  } catch {
    return [];
  } finally {
    await client.end().catch(() => {});
  }
}

/**
 * Wait (bounded) until the rest of the machine is quiet: other processes below `thresholdPercent`
 * of the machine over a one-second sample. Returns the seconds waited and the last sample.
 */
export async function waitForQuiet(maxSeconds: number, thresholdPercent: number): Promise<{ waitedSeconds: number; otherPercent?: number }> {
  const start = Date.now();
  let otherPercent: number | undefined;
  const pids = maxSeconds > 0 ? await databasePids() : [];
  while (maxSeconds > 0) {
    const a = cpuSnapshot(pids);
    await new Promise((r) => setTimeout(r, 1000));
    const usage = cpuUsage(a, cpuSnapshot(pids));
    if (!usage) break;
    otherPercent = usage.otherPercent;
    if (otherPercent < thresholdPercent || Date.now() - start >= maxSeconds * 1000) break;
  }
  return { waitedSeconds: +((Date.now() - start) / 1000).toFixed(1), otherPercent };
}
