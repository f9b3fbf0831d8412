// Shared by the fused kernel's tests: a Dawn device (or null), and one run of the engine and of the kernel
// from the same state, compared parameter by parameter.
import { Engine } from '../../src/core/engine';
import type { ModelSpec, TrainSettings } from '../../src/core/config';
import type { DataSpec, Points } from '../../src/core/datasets';
import { freshState, type TrainingState } from '../../src/core/state';
import { FusedTrainer } from '../../src/fused/fused';
import { nodeGpuDevice, preferSwiftShader } from '../../src/fused/node';

export async function testDevice(): Promise<GPUDevice | null> {
  preferSwiftShader();
  try {
    return await nodeGpuDevice();
  } catch (err) {
    console.warn(`fused kernel tests: Dawn did not start (${err instanceof Error ? err.message : String(err)})`);
    return null;
  }
}

/** The engine's parameters after `steps` steps from a fresh start, per model, flattened in layout order. */
export async function engineParams(points: Points, data: DataSpec, specs: ModelSpec[], train: TrainSettings, steps: number): Promise<Float32Array[]> {
  const engine = new Engine(points, data, specs, train);
  engine.run(steps);
  const { weights } = await engine.modelWeights();
  engine.dispose();
  return weights;
}

/** The kernel's state after `steps` steps (split in two runs with a read in between, if `resumeAt` is given:
 * the second half starts from a NEW trainer built from the exported state). */
export async function fusedState(device: GPUDevice, points: Points, specs: ModelSpec[], train: TrainSettings, steps: number, resumeAt?: number): Promise<TrainingState> {
  let state = freshState(train.architecture, specs);
  if (resumeAt !== undefined) {
    const first = new FusedTrainer(device, points, specs, train, state);
    first.run(resumeAt);
    state = await first.readState();
    first.dispose();
    steps -= resumeAt;
  }
  const fused = new FusedTrainer(device, points, specs, train, state);
  fused.run(steps);
  const out = await fused.readState();
  fused.dispose();
  return out;
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
