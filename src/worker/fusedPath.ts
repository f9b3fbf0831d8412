// The fused WebGPU path as a TrainingPath: the WGSL kernel trains, and each frame's snapshot is computed by
// tfjs on the SAME device straight from the kernel's buffers (zero-copy tensors): no weights cross to the
// host and back, and the frame is one read.
import type { ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import type { PathFrame, TrainingPath } from '../core/engine';
import { Evaluator, type EvaluatorOptions } from '../core/evaluator';
import type { PosthocSettings } from '../core/posthoc';
import { buildHyper, disposeHyper, type HyperTensors } from '../core/hyper';
import { hasEnsemble } from '../core/members';
import { paramLayout } from '../core/model';
import { tauOf } from '../core/objective';
import { paramCount, stateFromRows, type TrainingState } from '../core/state';
import { tf, type Tensor } from '../core/tf';
import { FusedTrainer, fusedUnsupported } from '../fused/fused';

export class FusedPath implements TrainingPath {
  readonly kind = 'fused';
  readonly label = 'fused WGSL kernel';
  private readonly trainer: FusedTrainer;
  private readonly evaluator: Evaluator;
  private hyper: HyperTensors;
  private specs: ModelSpec[];
  private disposed = false;

  /** Throws when the kernel does not cover a model (the session then takes the tfjs path). */
  constructor(device: GPUDevice, points: Points, truth: DataSpec | null, specs: ModelSpec[], private readonly train: TrainSettings, state: TrainingState, view: Pick<EvaluatorOptions, 'metricsOnly'> = {}) {
    this.specs = specs.map((s) => ({ ...s }));
    this.trainer = new FusedTrainer(device, points, this.specs, train, state);
    try {
      this.evaluator = new Evaluator(points, truth, train.architecture, { wide: hasEnsemble(specs), posthoc: train.posthoc, ...view });
      this.hyper = buildHyper(this.specs, train);
    } catch (err) {
      this.trainer.dispose();
      throw err;
    }
  }

  static covers(specs: readonly ModelSpec[], train: TrainSettings, n: number): boolean {
    return specs.every((s) => fusedUnsupported(s, train, n) === null);
  }

  get step(): number {
    return this.trainer.step;
  }

  run(count: number): void {
    this.trainer.run(count);
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
      const info = { specs: this.specs, train: this.train, steps, diverged: before.diverged, step: this.trainer.step, backend: tf.getBackend() };
      const r = await this.evaluator.read(params, this.hyper, tau, extra, info);
      r.divergences.forEach((message, k) => this.trainer.setDiverged(k, message));
      const diverged = before.diverged.map((d, k) => r.divergences.get(k) ?? d);
      const counters = { step: info.step, ids: this.specs.map((m) => m.id), t: before.t, steps, tauCount: before.tauCount, diverged };
      const state = r.extra ? stateFromRows(r.extra, paramCount(this.train.architecture), counters) : null;
      return { snapshot: r.snapshot, state };
    } finally {
      held.forEach((t) => t.dispose());
    }
  }

  exportState(): Promise<TrainingState> {
    return this.trainer.readState();
  }

  updateModel(k: number, spec: ModelSpec): boolean {
    if (fusedUnsupported(spec, this.train, this.evaluator.points.x.length) !== null) return false;
    const specs = this.specs.map((s, j) => (j === k ? { ...spec } : s));
    const hyper = buildHyper(specs, this.train);
    this.trainer.updateModel(k, spec);
    disposeHyper(this.hyper);
    this.hyper = hyper;
    this.specs = specs;
    return true;
  }

  setPosthoc(settings: PosthocSettings): boolean {
    return this.evaluator.setPosthoc(settings);
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    disposeHyper(this.hyper);
    this.evaluator.dispose();
    this.trainer.dispose();
  }
}
