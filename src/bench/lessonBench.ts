// Throughput of the two training paths on one adapter, in one run: the fused kernel against the tfjs engine
// (tfjs-backend-webgpu on the same device) at K = 1, 8, 64, and every lesson's own model set. Shared by the
// Node bench (scripts/bench-fused.ts, on Dawn: a real GPU's Vulkan driver or SwiftShader).
import type { ModelSpec, TrainSettings } from '../core/config';
import { defaultDataSpec, makePoints, type DataSpec, type Points } from '../core/datasets';
import { Engine } from '../core/engine';
import { expandMembers } from '../core/members';
import { freshState } from '../core/state';
import { FusedTrainer, fusedUnsupported } from '../fused/fused';
import { LESSONS } from '../app/lessons';
import { BENCH_ARCHS, benchSetting } from './fusedBench';

export interface PathRate {
  /** Steps of all K models per second. */
  stepsPerSecond: number;
  /** Steps per read the path ran at (the fused kernel's sized dispatches; the engine's chunk). */
  stepsPerRead: number;
}

export interface PathPairRow {
  name: string;
  K: number;
  fused: PathRate | null;
  tfjs: PathRate | null;
  /** Why the fused path could not take this row, when it could not. */
  note?: string;
}

/** Reads per second both paths are measured at: the worker's frames come about this often. */
const READ_MS = 100;

/**
 * `run(n)` enqueues n steps, `read()` waits for one read back. As the worker does, many steps are enqueued
 * between reads: the chunk grows until a chunk and its read take about READ_MS. The rate is taken over `ms`
 * after a warm-up of as long (it compiles pipelines and settles the fused kernel's dispatch size).
 */
async function rate(run: (n: number) => void, read: () => Promise<unknown>, ms: number): Promise<PathRate> {
  let chunk = 1;
  const tick = async (): Promise<number> => {
    const n = chunk;
    const t = performance.now();
    run(n);
    await read();
    const took = performance.now() - t;
    if (took < READ_MS) chunk = Math.min(200_000, Math.ceil(chunk * Math.min(2, (1.2 * READ_MS) / Math.max(took, 1))));
    else if (took > 2 * READ_MS) chunk = Math.max(1, Math.floor(chunk / 2));
    return n;
  };
  const warm = performance.now();
  while (performance.now() - warm < ms) await tick();
  let steps = 0;
  let reads = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    steps += await tick();
    reads++;
  }
  return { stepsPerSecond: steps / ((performance.now() - t0) / 1000), stepsPerRead: steps / reads };
}

export async function fusedRate(
  device: GPUDevice,
  points: Points,
  specs: ModelSpec[],
  train: TrainSettings,
  ms: number,
): Promise<PathRate> {
  const fused = new FusedTrainer(device, points, specs, train, freshState(train.architecture, specs));
  try {
    return await rate(
      (n) => fused.run(n),
      () => fused.readState(),
      ms,
    );
  } finally {
    fused.dispose();
  }
}

/** The tfjs engine on the active backend. */
export async function tfjsRate(
  points: Points,
  data: DataSpec,
  specs: ModelSpec[],
  train: TrainSettings,
  ms: number,
): Promise<PathRate> {
  const engine = new Engine(points, data, specs, train);
  try {
    return await rate(
      (n) => engine.run(n),
      () => engine.exportState(),
      ms,
    );
  } finally {
    engine.dispose();
  }
}

/** Fused and tfjs at K = 1, 8, 64 on the bench shapes; then each lesson's own models, data and settings. */
export async function pathPairRows(
  device: GPUDevice,
  ms: number,
  log: (line: string) => void = () => {},
  only?: string[],
): Promise<PathPairRow[]> {
  const rows: PathPairRow[] = [];
  const sineSpec = defaultDataSpec('hetero-sine');
  const sine = makePoints(sineSpec);
  const wanted = (name: string) => !only || only.some((o) => name.includes(o));
  for (const arch of Object.keys(BENCH_ARCHS)) {
    for (const k of [1, 8, 64]) {
      const name = `${arch}, NLL/Robust-NLL`;
      if (!wanted(name)) continue;
      const { specs, train } = benchSetting(BENCH_ARCHS[arch], k);
      log(`bench: ${name}, K = ${k}`);
      const fused = await fusedRate(device, sine, specs, train, ms);
      const tfjs = await tfjsRate(sine, sineSpec, specs, train, ms);
      rows.push({ name, K: k, fused, tfjs });
    }
  }
  for (const lesson of LESSONS) {
    const name = `lesson: ${lesson.id}`;
    if (!wanted(name)) continue;
    const { data, train } = lesson.config;
    // The networks the session trains: an ensemble's members each.
    const models = expandMembers(lesson.config.models);
    const points = makePoints(data);
    log(`bench: ${name}`);
    const why = models.map((m) => fusedUnsupported(m, train, points.x.length)).find((w) => w);
    const fused = why ? null : await fusedRate(device, points, models, train, ms);
    const tfjs = await tfjsRate(points, data, models, train, ms);
    rows.push({ name, K: models.length, fused, tfjs, note: why ?? undefined });
  }
  return rows;
}

export function pathPairTable(rows: PathPairRow[]): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toPrecision(3));
  const lines = [
    '| model set | K | fused steps/s | tfjs steps/s | fused / tfjs | fused steps/read |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows) {
    const ratio = r.fused && r.tfjs ? `${(r.fused.stepsPerSecond / r.tfjs.stepsPerSecond).toFixed(1)}×` : '–';
    lines.push(
      `| ${r.name} | ${r.K} | ${r.fused ? f(r.fused.stepsPerSecond) : `– (${r.note})`} | ${r.tfjs ? f(r.tfjs.stepsPerSecond) : '–'} | ${ratio} | ${r.fused ? r.fused.stepsPerRead.toFixed(0) : '–'} |`,
    );
  }
  return lines.join('\n');
}
