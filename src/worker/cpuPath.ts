// The CPU trainer as a TrainingPath: WebAssembly SIMD shards train the models (src/cpu/), and each frame's
// snapshot is computed by tfjs (the WASM backend where the CPU trainer is chosen) from the parameters that
// frame's one read brought back. The state comes with the same read.
import type { ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import { paramLayout } from '../core/model';
import type { PathFrame } from '../core/engine';
import type { EvaluatorOptions } from '../core/evaluator';
import { tauOf } from '../core/objective';
import type { TrainingState } from '../core/state';
import { tf, type Tensor } from '../core/tf';
import { CpuTrainer, type CpuOptions } from '../cpu/trainer';
import { KernelPath } from './kernelPath';

export class CpuPath extends KernelPath<CpuTrainer> {
  readonly kind = 'cpu';
  /**
   * Ticks of 250 ms (4 frames a second), not the default 140: the CPU trainer is fast enough that frames would come
   * at the default pace, and on a 2-core machine, with a shard on one core, every frame's redraws then kept the
   * page's thread busy over a third of the time (48 tasks over 50 ms in 10 s, one of 256 ms; train.spec.ts).
   */
  readonly tickMs = 250;
  /** Host buffers of the stacked parameter tensors, filled from each read (allocated once). */
  private readonly stacked: Float32Array[];
  private readonly shapes: number[][];

  /** Throws when the CPU trainer does not cover a model (the session then takes the tfjs path). */
  constructor(
    points: Points,
    truth: DataSpec | null,
    specs: ModelSpec[],
    train: TrainSettings,
    state: TrainingState,
    options: CpuOptions,
    view: Pick<EvaluatorOptions, 'metricsOnly'> = {},
  ) {
    super((s) => new CpuTrainer(points, s, train, state, options), points, truth, specs, train, view);
    this.shapes = paramLayout(train.architecture, specs.length).shapes;
    this.stacked = this.shapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  }

  get label(): string {
    const w = this.trainer.workers;
    return `fused CPU · wasm-simd · ${w} worker${w === 1 ? '' : 's'}`;
  }

  async frame(withState: boolean): Promise<PathFrame> {
    if (this.disposed) throw new Error('the CPU path was disposed');
    const r = await this.trainer.read(withState);
    if (this.disposed) throw new Error('the CPU path was disposed');
    // Each model's flat θ (paramLayout order) into the stacked tensors: model k's slice of tensor p in turn.
    r.params.forEach((theta, k) => {
      let offset = 0;
      this.stacked.forEach((buf) => {
        const size = buf.length / r.params.length;
        buf.set(theta.subarray(offset, offset + size), k * size);
        offset += size;
      });
    });
    const held: Tensor[] = [];
    try {
      const params = this.stacked.map((buf, p) => tf.tensor(buf, this.shapes[p], 'float32'));
      held.push(...params);
      const tauState = tf.tensor(r.tau, [r.tau.length, 1], 'float32');
      held.push(tauState);
      const tau = tauOf(this.hyper, tauState);
      held.push(tau);
      const info = {
        specs: this.specs,
        train: this.train,
        steps: r.steps,
        diverged: r.diverged,
        step: r.step,
        backend: tf.getBackend(),
      };
      const e = await this.evaluator.read(params, this.hyper, tau, null, info);
      e.divergences.forEach((message, k) => this.trainer.setDiverged(k, message));
      const state = r.state
        ? { ...r.state, models: r.state.models.map((m, k) => ({ ...m, diverged: e.divergences.get(k) ?? m.diverged })) }
        : null;
      return { snapshot: e.snapshot, state };
    } finally {
      held.forEach((t) => t.dispose());
    }
  }
}
