// Shared by the fused kernel's tests: a Dawn device (or null), and one run of the engine and of the kernel
// from the same state, compared parameter by parameter.
import { Engine } from '../../src/core/engine';
import type { ModelSpec, TrainSettings } from '../../src/core/config';
import type { DataSpec, Points } from '../../src/core/datasets';
import { freshState, type TrainingState } from '../../src/core/state';
import { FusedTrainer } from '../../src/fused/fused';
import { nodeGpuDevice, preferSwiftShader } from '../../src/fused/node';
import { cpuModule, nodeShard } from '../../src/cpu/node';
import { CpuTrainer, inThreadShard } from '../../src/cpu/trainer';

export async function testDevice(): Promise<GPUDevice | null> {
  preferSwiftShader();
  try {
    return await nodeGpuDevice();
  } catch (err) {
    console.warn(`fused kernel tests: Dawn did not start (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

/** The engine's exported state after each of `checkpoints` (ascending step counts), from `start` or fresh. */
export async function engineStates(
  points: Points,
  data: DataSpec,
  specs: ModelSpec[],
  train: TrainSettings,
  checkpoints: number[],
  start?: TrainingState,
): Promise<TrainingState[]> {
  const engine = new Engine(points, data, specs, train, start);
  const out: TrainingState[] = [];
  try {
    let done = 0;
    for (const c of checkpoints) {
      engine.run(c - done);
      done = c;
      out.push(await engine.exportState());
    }
  } finally {
    engine.dispose();
  }
  return out;
}

/** The kernel's state after `steps` steps from `start` (fresh when omitted), with the device's workgroup size or `workgroup`. */
export async function fusedState(
  device: GPUDevice,
  points: Points,
  specs: ModelSpec[],
  train: TrainSettings,
  steps: number,
  start?: TrainingState,
  workgroup?: number,
): Promise<TrainingState> {
  const fused = new FusedTrainer(
    device,
    points,
    specs,
    train,
    start ?? freshState(train.architecture, specs),
    workgroup ? { workgroup } : {},
  );
  try {
    fused.run(steps);
    return await fused.readState();
  } finally {
    fused.dispose();
  }
}

/** The CPU trainer's state after `steps` steps from `start` (fresh when omitted), its models over `workers` shards
 * (in this thread, or on worker threads when `threads`). */
export async function cpuState(
  points: Points,
  specs: ModelSpec[],
  train: TrainSettings,
  steps: number,
  start?: TrainingState,
  workers = 3,
  threads = false,
): Promise<TrainingState> {
  const cpu = new CpuTrainer(points, specs, train, start ?? freshState(train.architecture, specs), {
    module: cpuModule(),
    spawn: threads ? nodeShard : inThreadShard,
    workers,
  });
  try {
    cpu.run(steps);
    return await cpu.readState();
  } finally {
    cpu.dispose();
  }
}

export interface Diff {
  /** Largest |a − b| over the model's parameters, the largest |a| (the scale), and where the worst is. */
  maxAbsDiff: number;
  maxAbs: number;
  at: number;
}

export function diff(a: Float32Array, b: Float32Array): Diff {
  let maxAbsDiff = 0;
  let maxAbs = 0;
  let at = -1;
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    if (!(d <= maxAbsDiff)) {
      maxAbsDiff = d;
      at = i;
    }
    maxAbs = Math.max(maxAbs, Math.abs(a[i]));
  }
  return { maxAbsDiff, maxAbs, at };
}
