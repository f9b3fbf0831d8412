// What every committed result file says about how it was made: the command, the commit, the date, the machine
// and its load (a figure from this 2-core machine shared with other jobs means little without the load).
import { execSync } from 'node:child_process';
import { cpus, loadavg } from 'node:os';

export interface RunMeta {
  command: string;
  commit: string;
  /** Uncommitted changes in the working tree when the run started. */
  dirty: boolean;
  date: string;
  machine: { nproc: number; cpu: string };
  /** 1-, 5- and 15-minute load averages at the start and at the end. */
  load: { start: number[]; end?: number[] };
  wallSeconds?: number;
  path: string;
}

const git = (args: string) => {
  try {
    return execSync(`git ${args}`, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '';
  }
};

export function startMeta(command: string, path: string): RunMeta {
  return {
    command,
    commit: git('rev-parse HEAD') || 'unknown',
    dirty: git('status --porcelain --untracked-files=no') !== '',
    date: new Date().toISOString(),
    machine: { nproc: cpus().length, cpu: cpus()[0]?.model ?? 'unknown' },
    load: { start: loadavg().map((v) => Math.round(v * 100) / 100) },
    path,
  };
}

export function endMeta(meta: RunMeta, started: number): RunMeta {
  return {
    ...meta,
    load: { ...meta.load, end: loadavg().map((v) => Math.round(v * 100) / 100) },
    wallSeconds: Math.round((performance.now() - started) / 100) / 10,
  };
}
