// The fused kernel's benchmark rows, shared by the browser bench page and the Node one (scripts/bench-fused.ts):
// K = 1, 8, 64 at width 50 ReLU and at 2 × 128 tanh, and the hand-written JS trainer at the same shapes.
import { DEFAULT_TRAIN, modelSpec, type ModelSpec, type TrainSettings } from '../core/config';
import type { Points } from '../core/datasets';
import type { Architecture } from '../core/model';
import { freshState } from '../core/state';
import { FusedTrainer } from '../fused/fused';
import { nextBudget } from '../worker/tickBudget';
import { JsTrainer } from './jsTrainer';

export const BENCH_ARCHS: Record<string, Architecture> = {
  '1 × 50 ReLU': { hidden: [50], activation: 'relu', shared: true, varianceFloor: 1e-6 },
  '2 × 128 tanh': { hidden: [128, 128], activation: 'tanh', shared: true, varianceFloor: 1e-6 },
};

export interface FusedBenchRow {
  impl: 'fused' | 'js';
  arch: string;
  K: number;
  /** Steps of all K models per second, and model-steps per second (K × that). */
  stepsPerSecond: number;
  modelStepsPerSecond: number;
  /** Steps per dispatch the trainer settled on (fused only). */
  stepsPerDispatch: number | null;
}

/** NLL and Robust-NLL in turn, the default batch (256), no warm-up: the kernel's steady state. */
export function benchSetting(arch: Architecture, k: number): { specs: ModelSpec[]; train: TrainSettings } {
  const train = { ...DEFAULT_TRAIN, warmupMeanSteps: 0, warmupNllSteps: 0, architecture: arch };
  const specs = Array.from({ length: k }, (_, i) =>
    modelSpec(i % 2 ? 'robust-nll' : 'nll', { id: `m${i + 1}`, T: 16, initSeed: i + 1 }),
  );
  return { specs, train };
}

/**
 * The fused kernel run as the worker runs it: ticks of `run(budget)` then one read, the budget sized by the
 * session's own rule (nextBudget: about TICK_MS a tick), for about `ms` after a warm-up.
 */
export async function fusedRow(
  device: GPUDevice,
  points: Points,
  arch: string,
  k: number,
  ms: number,
): Promise<FusedBenchRow> {
  const { specs, train } = benchSetting(BENCH_ARCHS[arch], k);
  const fused = new FusedTrainer(device, points, specs, train, freshState(train.architecture, specs));
  const ticks: { n: number; ms: number }[] = [];
  let budget = 1;
  const tick = async () => {
    const t0 = performance.now();
    const n = budget;
    fused.run(n);
    await fused.readState();
    budget = nextBudget(ticks, n, performance.now() - t0);
    return n;
  };
  try {
    // Compiles the pipeline and lets the dispatch size and the tick budget settle.
    const warm = performance.now();
    while (performance.now() - warm < Math.min(ms, 3000)) await tick();
    let n = 0;
    const t0 = performance.now();
    while (performance.now() - t0 < ms) n += await tick();
    const stepsPerSecond = n / ((performance.now() - t0) / 1000);
    return {
      impl: 'fused',
      arch,
      K: k,
      stepsPerSecond,
      modelStepsPerSecond: stepsPerSecond * k,
      stepsPerDispatch: fused.stepsPerDispatch,
    };
  } finally {
    fused.dispose();
  }
}

/** Steps per second of the hand-written JS trainer on these models, one step at a time for about `ms`. */
export function jsStepsPerSecond(points: Points, specs: ModelSpec[], train: TrainSettings, ms: number): number {
  const js = new JsTrainer(points, specs, train);
  js.run(1);
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) {
    js.run(1);
    n++;
  }
  return n / ((performance.now() - t0) / 1000);
}

export function jsRow(points: Points, arch: string, k: number, ms: number): FusedBenchRow {
  const { specs, train } = benchSetting(BENCH_ARCHS[arch], k);
  const stepsPerSecond = jsStepsPerSecond(points, specs, train, ms);
  return { impl: 'js', arch, K: k, stepsPerSecond, modelStepsPerSecond: stepsPerSecond * k, stepsPerDispatch: null };
}

/** Every row: fused at K = 1, 8, 64 on both shapes, JS at K = 64 (and K = 1 for scale). */
export async function fusedBench(
  device: GPUDevice | null,
  points: Points,
  ms: number,
  log: (line: string) => void = () => {},
): Promise<FusedBenchRow[]> {
  const rows: FusedBenchRow[] = [];
  for (const arch of Object.keys(BENCH_ARCHS)) {
    for (const k of [1, 64]) {
      log(`bench: js ${arch}, K = ${k}`);
      rows.push(jsRow(points, arch, k, ms));
    }
    if (!device) continue;
    for (const k of [1, 8, 64]) {
      log(`bench: fused ${arch}, K = ${k}`);
      rows.push(await fusedRow(device, points, arch, k, ms));
    }
  }
  return rows;
}

export function fusedTable(rows: FusedBenchRow[]): string {
  const f = (v: number) => (v >= 100 ? v.toFixed(0) : v.toFixed(2));
  const lines = [
    '| impl | architecture | K | steps/s (all K) | model-steps/s | steps/dispatch |',
    '|---|---|---|---|---|---|',
  ];
  for (const r of rows)
    lines.push(
      `| ${r.impl} | ${r.arch} | ${r.K} | ${f(r.stepsPerSecond)} | ${f(r.modelStepsPerSecond)} | ${r.stepsPerDispatch ?? '–'} |`,
    );
  for (const arch of Object.keys(BENCH_ARCHS)) {
    const fused = rows.find((r) => r.impl === 'fused' && r.arch === arch && r.K === 64);
    const js = rows.find((r) => r.impl === 'js' && r.arch === arch && r.K === 64);
    if (fused && js)
      lines.push(
        `${arch}, K = 64: fused / js = ${(fused.modelStepsPerSecond / js.modelStepsPerSecond).toFixed(2)}× model-steps/s`,
      );
  }
  return lines.join('\n');
}
