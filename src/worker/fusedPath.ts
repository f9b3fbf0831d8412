// The fused WebGPU path as a TrainingPath: the WGSL kernel trains, and each frame's snapshot is computed by
// tfjs on the SAME device straight from the kernel's buffers (zero-copy tensors): no weights cross to the
// host and back, and the frame is one read.
import type { ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import { paramLayout } from '../core/model';
import type { PathFrame } from '../core/engine';
import type { EvaluatorOptions } from '../core/evaluator';
import { tauOf } from '../core/objective';
import { paramCount, stateFromRows, type TrainingState } from '../core/state';
import { tf, type Tensor } from '../core/tf';
import { FusedTrainer } from '../fused/fused';
import { KernelPath } from './kernelPath';

export class FusedPath extends KernelPath<FusedTrainer> {
  readonly kind = 'fused';
  readonly label = 'fused WGSL kernel';

  /** Throws when the kernel does not cover a model (the session then takes the tfjs path). */
  constructor(
    device: GPUDevice,
    points: Points,
    truth: DataSpec | null,
    specs: ModelSpec[],
    train: TrainSettings,
    state: TrainingState,
    view: Pick<EvaluatorOptions, 'metricsOnly'> = {},
  ) {
    super((s) => new FusedTrainer(device, points, s, train, state), points, truth, specs, train, view);
  }

  /** The kernel's buffers as stacked tfjs tensors, in the engine's layout (views: no copy on the device). */
  private tensors(): { params: Tensor[]; flat: Tensor[]; tau: Tensor } {
    const k = this.specs.length;
    const p = paramCount(this.train.architecture);
    const view = (buffer: GPUBuffer, cols: number) => tf.tensor({ buffer, zeroCopy: true }, [k, cols], 'float32');
    const flatParams = view(this.trainer.paramBuffer, p);
    const layout = paramLayout(this.train.architecture, k);
    let offset = 0;
    // Inside tidy: each slice goes once its reshape exists (a slice per parameter per frame leaked here).
    const params = tf.tidy(() =>
      layout.shapes.map((shape) => {
        const size = shape.slice(1).reduce((a, b) => a * b, 1);
        const t = tf.reshape(tf.slice(flatParams, [0, offset], [k, size]), shape);
        offset += size;
        return t;
      }),
    );
    const flat = [flatParams, view(this.trainer.m1Buffer, p), view(this.trainer.m2Buffer, p)];
    return { params, flat, tau: view(this.trainer.tauBuffer, 1) };
  }

  async frame(withState: boolean): Promise<PathFrame> {
    if (this.disposed) throw new Error('the fused path was disposed');
    const held: Tensor[] = [];
    try {
      const { params, flat, tau: tauState } = this.tensors();
      held.push(...params, ...flat, tauState);
      const tau = tauOf(this.hyper, tauState);
      held.push(tau);
      const extra = withState ? tf.concat([...flat, tauState], 1) : null;
      if (extra) held.push(extra);
      const steps = this.trainer.modelSteps;
      const before = this.trainer.counters();
      const info = {
        specs: this.specs,
        train: this.train,
        steps,
        diverged: before.diverged,
        step: this.trainer.step,
        backend: tf.getBackend(),
      };
      const r = await this.evaluator.read(params, this.hyper, tau, extra, info);
      r.divergences.forEach((message, k) => this.trainer.setDiverged(k, message));
      const diverged = before.diverged.map((d, k) => r.divergences.get(k) ?? d);
      const counters = {
        step: info.step,
        ids: this.specs.map((m) => m.id),
        t: before.t,
        steps,
        tauCount: before.tauCount,
        diverged,
      };
      const state = r.extra ? stateFromRows(r.extra, paramCount(this.train.architecture), counters) : null;
      return { snapshot: r.snapshot, state };
    } finally {
      held.forEach((t) => t.dispose());
    }
  }
}
