// The CPU trainer as a TrainingPath: WebAssembly SIMD shards train the models (src/cpu/), and each frame's
// snapshot is computed by tfjs (the WASM backend where the CPU trainer is chosen) from the parameters that
// frame's one read brought back. The state comes with the same read.
import type { ModelSpec, TrainSettings } from '../core/config';
import type { DataSpec, Points } from '../core/datasets';
import type { PathFrame, TrainingPath } from '../core/engine';
import { Evaluator, type EvaluatorOptions } from '../core/evaluator';
import type { PosthocSettings } from '../core/posthoc';
import { buildHyper, disposeHyper, type HyperTensors } from '../core/hyper';
import { hasEnsemble } from '../core/members';
import { paramLayout } from '../core/model';
import { tauOf } from '../core/objective';
import type { TrainingState } from '../core/state';
import { tf, type Tensor } from '../core/tf';
import { fusedUnsupported } from '../fused/contract';
import { CpuTrainer, type CpuOptions } from '../cpu/trainer';

export class CpuPath implements TrainingPath {
  readonly kind = 'cpu';
  /**
   * Ticks of 250 ms (4 frames a second), not the default 140: the CPU trainer is fast enough that frames would come
   * at the default pace, and on a 2-core machine, with a shard on one core, every frame's redraws then kept the
   * page's thread busy over a third of the time (48 tasks over 50 ms in 10 s, one of 256 ms; train.spec.ts).
   */
  readonly tickMs = 250;
  private readonly trainer: CpuTrainer;
  private readonly evaluator: Evaluator;
  private hyper: HyperTensors;
  private specs: ModelSpec[];
  private disposed = false;
  /** Host buffers of the stacked parameter tensors, filled from each read (allocated once). */
  private readonly stacked: Float32Array[];
  private readonly shapes: number[][];

  /** Throws when the CPU trainer does not cover a model (the session then takes the tfjs path). */
  constructor(points: Points, truth: DataSpec | null, specs: ModelSpec[], private readonly train: TrainSettings, state: TrainingState, options: CpuOptions, view: Pick<EvaluatorOptions, 'metricsOnly'> = {}) {
    this.specs = specs.map((s) => ({ ...s }));
    this.trainer = new CpuTrainer(points, this.specs, train, state, options);
    try {
      this.evaluator = new Evaluator(points, truth, train.architecture, { wide: hasEnsemble(specs), posthoc: train.posthoc, ...view });
      this.hyper = buildHyper(this.specs, train);
    } catch (err) {
      this.trainer.dispose();
      throw err;
    }
    this.shapes = paramLayout(train.architecture, specs.length).shapes;
    this.stacked = this.shapes.map((shape) => new Float32Array(shape.reduce((a, b) => a * b, 1)));
  }

  static covers(specs: readonly ModelSpec[], train: TrainSettings, n: number): boolean {
    return specs.every((s) => fusedUnsupported(s, train, n) === null);
  }

  get step(): number {
    return this.trainer.step;
  }

  get label(): string {
    const w = this.trainer.workers;
    return `fused CPU · wasm-simd · ${w} worker${w === 1 ? '' : 's'}`;
  }

  run(count: number): void {
    this.trainer.run(count);
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
      const info = { specs: this.specs, train: this.train, steps: r.steps, diverged: r.diverged, step: r.step, backend: tf.getBackend() };
      const e = await this.evaluator.read(params, this.hyper, tau, null, info);
      e.divergences.forEach((message, k) => this.trainer.setDiverged(k, message));
      const state = r.state ? { ...r.state, models: r.state.models.map((m, k) => ({ ...m, diverged: e.divergences.get(k) ?? m.diverged })) } : null;
      return { snapshot: e.snapshot, state };
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
