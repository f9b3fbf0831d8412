// The committed results the docs are generated from (results/), read once into one object, and how each file
// says it was made. Older files record less than scripts/meta.ts writes today: what a file lacks is "not recorded".
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ClaimRate } from '../../src/core/experiments/seeds';
import type { Rate } from '../../src/core/lessons/rates';
import type { RunMeta } from '../meta';

export interface Reproduction {
  id: string;
  title: string;
  settings: string;
  quick: boolean;
  ownSeeds: string | null;
  seeds: number[];
  claims: ClaimRate[];
  runs: { seed: number; calibration?: { id: string; loss: string; miscalibrationArea: number }[] }[];
  meta: RunMeta;
}

export interface LessonSummary {
  id: string;
  version: number;
  used: Rate;
  heldOut: Rate;
  verdict: string;
}

export interface LessonsResult {
  meta: RunMeta;
  seeds: number[];
  summary: LessonSummary[];
  lessons: {
    id: string;
    setOnSeeds: number[];
    runs: { seed: number; holds: boolean; conditions: { holds: boolean; text: string }[] }[];
  }[];
}

export interface BetaProbe {
  /** How the file was made (scripts/meta.ts); files from before it was recorded lack it. */
  meta?: RunMeta;
  variant: string;
  description: string;
  seeds: number;
  seconds: number;
  nproc: number;
  cpu: string;
  rows: { step: number; rmse: Record<string, number> }[];
}

export interface AlumStudy {
  /** How the file was made (scripts/meta.ts), with the commit; files from before it was recorded lack it. */
  meta?: RunMeta;
  command: string;
  date: string;
  seconds: number;
  settings: string;
  paper: string;
  machine: { nproc: number; cpu: string; loadBefore: number[]; loadAfter: number[] };
  runs: { condition: string; seed: number; accuracy: Record<string, number> }[];
  claims: { condition: string; variant: string; margins: number[]; rate: Rate }[];
}

export interface BenchCpu {
  command: string;
  commit: string;
  date: string;
  machine: { cpu: string; cores: number; gpuAdapter: string };
  load: { before: number[]; after: number[] };
  peak: { oneCore: number; allCores: number; workers: number };
  rows: { impl: string; shape: string; K: number; modelStepsPerSecond: number; peakShare: number }[];
  targets: Record<string, number>;
}

export interface BenchPage {
  meta?: RunMeta;
  date: string;
  quick: boolean;
  machine: { adapter: string; userAgent: string; cores: number };
  page: {
    /** The path the page picked, as its status line names it (newer files). */
    path?: string | null;
    firstStepMs: number;
    readsPerSecond: number;
    uiStepsPerSecond: number;
    longTasks: number;
    longestTaskMs: number;
    medianRedrawMs: number;
    jsGzipBytes: number;
  };
  runs: { impl: string; backend: string; K: number; stepsPerSecond: number; kernelsPerStep: number | null }[];
  /** The fused WGSL kernel beside the hand-written trainer, per network and K (newer files). */
  fused?: {
    impl: string;
    arch: string;
    K: number;
    modelStepsPerSecond: number;
    stepsPerDispatch: number | null;
  }[];
  /** Each lesson's own models, the fused kernel against the tfjs engine on the same device (newer files). */
  lessons?: {
    name: string;
    K: number;
    fused: { stepsPerSecond: number; stepsPerRead: number };
    tfjs: { stepsPerSecond: number; stepsPerRead: number };
  }[];
  notes: string[];
}

export interface Soak {
  meta?: RunMeta;
  date: string;
  cores: number;
  loadAverageAtStart?: number;
  adapter: string;
  path?: string;
  soak?: {
    steps: number;
    seconds: number;
    stepsPerSecond: number;
    moves: number;
    readings: {
      step: number;
      numTensors: number;
      gpuBuffers: number | null;
      pageHeapMB: number;
      workerHeapMB: number;
    }[];
    longTasks: { over50: number; over100: number; longestMs: number; share: number };
    loadAverage?: number;
    flat: boolean;
    path: string;
    pathLabel?: string;
  };
  losses: { moment: string; backend: string; worstRmseChange: number; continuedInS: number }[];
  failed: string[];
}

export interface Results {
  reproductions: Reproduction[];
  lessons: LessonsResult | null;
  betaNll: BetaProbe[];
  alum: AlumStudy | null;
  benchCpu: BenchCpu | null;
  bench: BenchPage | null;
  soak: Soak | null;
  soakCpu: Soak | null;
}

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
const maybe = <T>(path: string): T | null => (existsSync(path) ? readJson<T>(path) : null);
const jsonIn = (dir: string, keep: (f: string) => boolean = () => true): string[] =>
  existsSync(dir)
    ? readdirSync(dir)
        .filter((f) => f.endsWith('.json') && keep(f))
        .sort()
        .map((f) => join(dir, f))
    : [];

/** Every results file under `root`/results (the repository root by default). */
export function loadResults(root = '.'): Results {
  const r = (p: string) => join(root, 'results', p);
  return {
    reproductions: jsonIn(r('reproductions'), (f) => !f.endsWith('.run.json')).map((p) => readJson<Reproduction>(p)),
    lessons: maybe<LessonsResult>(r('lessons.json')),
    betaNll: jsonIn(r('beta-nll')).map((p) => readJson<BetaProbe>(p)),
    alum: maybe<AlumStudy>(r('alum/study.json')),
    benchCpu: maybe<BenchCpu>(r('bench-cpu.json')),
    bench: maybe<BenchPage>(r('bench.json')),
    soak: maybe<Soak>(r('soak.json')),
    soakCpu: maybe<Soak>(r('soak-cpu.json')),
  };
}

/** How a file was made; absent fields were not recorded by the command that wrote it. */
export interface Provenance {
  file: string;
  command?: string;
  commit?: string;
  date?: string;
  machine?: string;
  /** 1-minute load average at the start, and at the end where recorded. */
  load?: { start: number; end?: number };
}

/** From scripts/meta.ts's record, which every newer result carries. */
export function fromMeta(file: string, m: RunMeta): Provenance {
  return {
    file,
    command: m.command,
    commit: `${m.commit.slice(0, 10)}${m.dirty ? ' (with uncommitted changes)' : ''}`,
    date: m.date,
    machine: `${m.machine.nproc} × ${m.machine.cpu}`,
    load: { start: m.load.start[0], end: m.load.end?.[0] },
  };
}

const NOT = 'not recorded';
const round2 = (v: number) => String(Math.round(v * 100) / 100);

/** One line under a table: the file, then command, commit, date, machine and load, each or "not recorded". */
export function provenanceLine(p: Provenance): string {
  const load = p.load ? `${round2(p.load.start)}${p.load.end === undefined ? '' : ` → ${round2(p.load.end)}`}` : NOT;
  return [
    `From \`${p.file}\`: command ${p.command ? `\`${p.command}\`` : NOT}`,
    `commit ${p.commit ?? NOT}`,
    `date ${p.date ? p.date.slice(0, 10) : NOT}`,
    `machine ${p.machine ?? NOT}`,
    `load (1-minute average) ${load}.`,
  ].join('; ');
}

/** The page's first lines: what generated it and that it must not be edited by hand. */
export function generatedNote(what: string): string {
  return `<!-- Generated by \`npm run docs\` (scripts/docs/) from ${what}. Do not edit: change the source and rerun. -->`;
}

/** The mean of a list of numbers. */
export const mean = (v: number[]): number => v.reduce((a, b) => a + b, 0) / v.length;
