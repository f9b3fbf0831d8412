// The CPU trainer's benchmark (npm run bench:cpu): a peak probe of this machine in the same WebAssembly module
// (one core, then every core at once), then 1 × 50 ReLU (batch 256) and 2 × 128 tanh (batch 100) at K = 1, 8, 64
// for the CPU trainer, the hand-written JS trainer, the tfjs engine on WASM and the WGSL kernel (Dawn; SwiftShader
// without a GPU), each driven as the worker drives a path: ticks of run(budget) then one read, the budget by the
// session's own rule. Figures in model-steps/s and as a share of the measured all-core peak.
import { DEFAULT_TRAIN, modelSpec, type ModelSpec, type TrainSettings } from '../core/config';
import type { Points } from '../core/datasets';
import { Engine } from '../core/engine';
import type { Architecture } from '../core/model';
import { freshState } from '../core/state';
import { CpuTrainer, type SpawnShard } from '../cpu/trainer';
import { FusedTrainer } from '../fused/fused';
import { nextBudget } from '../worker/tickBudget';
import { jsStepsPerSecond } from './fusedBench';

/** Floating-point operations of one iteration of the module's peakProbe: 12 vectors × 4 lanes × (a multiply, an add). */
export const PEAK_FLOPS_PER_ITER = 96;

export const CPU_BENCH_SHAPES: Record<string, { arch: Architecture; batch: number }> = {
  '1 × 50 ReLU': { arch: { hidden: [50], activation: 'relu', shared: true, varianceFloor: 1e-6 }, batch: 256 },
  '2 × 128 tanh': { arch: { hidden: [128, 128], activation: 'tanh', shared: true, varianceFloor: 1e-6 }, batch: 100 },
};

export type CpuBenchImpl = 'cpu-trainer' | 'js' | 'tfjs-wasm' | 'wgsl';

export interface CpuBenchRow {
  impl: CpuBenchImpl;
  shape: string;
  K: number;
  modelStepsPerSecond: number;
  /** 6 · batch · (weights of the matrix products) per model-step: 2 flops a multiply-add forward, 4 backward. */
  flopsPerModelStep: number;
  /** Achieved flops over the measured all-core peak. */
  peakShare: number;
}

export interface PeakProbe {
  /** Flops per second of the probe on one core, and on every shard at once (summed). */
  oneCore: number;
  allCores: number;
  workers: number;
}

export function matrixFlops(arch: Architecture, batch: number): number {
  const widths = [1, ...arch.hidden, 2];
  let weights = 0;
  for (let l = 1; l < widths.length; l++) weights += widths[l - 1] * widths[l];
  return 6 * batch * weights;
}

export function benchSetting(shape: string, k: number): { specs: ModelSpec[]; train: TrainSettings } {
  const { arch, batch } = CPU_BENCH_SHAPES[shape];
  const train = { ...DEFAULT_TRAIN, batchSize: batch, warmupMeanSteps: 0, warmupNllSteps: 0, architecture: arch };
  const specs = Array.from({ length: k }, (_, i) =>
    modelSpec(i % 2 ? 'robust-nll' : 'nll', { id: `m${i + 1}`, T: 16, initSeed: i + 1 }),
  );
  return { specs, train };
}

/** Model-steps per second of a path driven in session ticks for about `ms` after a warm-up of up to 2 s. */
async function ticked(k: number, ms: number, run: (n: number) => void, read: () => Promise<unknown>): Promise<number> {
  const ticks: { n: number; ms: number }[] = [];
  let budget = 1;
  const tick = async () => {
    const t0 = performance.now();
    const n = budget;
    run(n);
    await read();
    budget = nextBudget(ticks, n, performance.now() - t0);
    return n;
  };
  const warm = performance.now();
  while (performance.now() - warm < Math.min(ms, 2000)) await tick();
  let n = 0;
  const t0 = performance.now();
  while (performance.now() - t0 < ms) n += await tick();
  return (k * n) / ((performance.now() - t0) / 1000);
}

export interface BenchEnv {
  points: Points;
  module: WebAssembly.Module;
  spawn: SpawnShard;
  workers: number;
  device: GPUDevice | null;
}

export async function benchRow(
  env: BenchEnv,
  impl: CpuBenchImpl,
  shape: string,
  k: number,
  ms: number,
): Promise<number> {
  const { specs, train } = benchSetting(shape, k);
  const state = freshState(train.architecture, specs);
  if (impl === 'cpu-trainer') {
    const cpu = new CpuTrainer(env.points, specs, train, state, {
      module: env.module,
      spawn: env.spawn,
      workers: env.workers,
    });
    try {
      return await ticked(
        k,
        ms,
        (n) => cpu.run(n),
        () => cpu.read(false),
      );
    } finally {
      cpu.dispose();
    }
  }
  if (impl === 'wgsl') {
    if (!env.device) return NaN;
    const fused = new FusedTrainer(env.device, env.points, specs, train, state);
    try {
      return await ticked(
        k,
        ms,
        (n) => fused.run(n),
        () => fused.readState(),
      );
    } finally {
      fused.dispose();
    }
  }
  if (impl === 'tfjs-wasm') {
    const engine = new Engine(env.points, null, specs, train, state, { metricsOnly: true });
    try {
      return await ticked(
        k,
        ms,
        (n) => engine.run(n),
        () => engine.exportState(),
      );
    } finally {
      engine.dispose();
    }
  }
  return k * jsStepsPerSecond(env.points, specs, train, ms);
}
