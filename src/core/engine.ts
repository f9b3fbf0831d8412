// The tfjs training path: K models stacked along a leading axis (one set of kernel launches per step),
// hyperparameters as live tensors, and the complete training state in and out (src/core/state.ts).
import { DEFAULT_TRAIN, type ModelSpec, type TrainSettings } from './config';
import type { DataSpec, Points } from './datasets';
import type { PosthocSettings } from './posthoc';
import { Evaluator, type EvaluatorOptions, type Snapshot } from './evaluator';
import { buildHyper, disposeHyper, nextPhaseMask, type HyperTensors } from './hyper';
import { parseLossId } from './losses';
import { objective, tauOf } from './objective';
import { applyStep, stepCoefficients } from './optimizer';
import { hasEnsemble } from './members';
import { hash32, STREAM } from './rng';
import {
  freshState,
  paramCount,
  stackField,
  stateFromRows,
  stateMismatch,
  type Phase,
  type TrainingState,
} from './state';
import { readOnce, tf, type Tensor } from './tf';

export type { ModelSnapshot, ModelStatus, ModelMetrics, Snapshot } from './evaluator';
export type { Phase } from './state';

/** Index of the j-th sample of minibatch `step`: a pure function, so every path draws the same batches. */
export function batchIndex(seed: number, step: number, j: number, n: number): number {
  return hash32(seed, STREAM.batch, step, j) % n;
}

/** The minibatch of global step `step`: hashed indices, or the whole data in order when the batch covers it. */
export function batchIndices(seed: number, step: number, batchSize: number, n: number): Int32Array {
  if (batchSize >= n) return Int32Array.from({ length: n }, (_, i) => i);
  const out = new Int32Array(batchSize);
  for (let j = 0; j < batchSize; j++) out[j] = batchIndex(seed, step, j, n);
  return out;
}

/** A frame of a training path: the snapshot, and the training state when asked for (same read). */
export interface PathFrame {
  snapshot: Snapshot;
  state: TrainingState | null;
}

/** What the worker's session drives: the tfjs engine here, the fused WebGPU kernel in src/worker/fusedPath.ts. */
export interface TrainingPath {
  readonly kind: 'tfjs' | 'fused' | 'cpu';
  /** The path in words for the status line. */
  readonly label: string;
  /** Milliseconds a tick (steps, then one frame) should take, when not the session's default (tickBudget.ts). */
  readonly tickMs?: number;
  readonly step: number;
  /** Enqueues `count` steps of every model still training; reads nothing back. */
  run: (count: number) => void;
  /** One read: the snapshot, with the exact training state when `withState`. */
  frame: (withState: boolean) => Promise<PathFrame>;
  exportState: () => Promise<TrainingState>;
  /** A live change of model k's loss or hyperparameters; false when this path cannot take it (rebuild it then). */
  updateModel: (k: number, spec: ModelSpec) => boolean;
  /** A live change of the post-hoc settings that keeps the calibration split; false when the path must be rebuilt. */
  setPosthoc?: (settings: PosthocSettings) => boolean;
  dispose: () => void;
}

/** Builds a training path for a run: the tfjs Engine by default; scripts pass the CPU trainer or the WGSL kernel. */
export type PathFactory = (
  points: Points,
  truth: DataSpec | null,
  specs: ModelSpec[],
  train: TrainSettings,
  state?: TrainingState,
) => TrainingPath;

export class Engine implements TrainingPath {
  readonly kind = 'tfjs';
  readonly label = 'TensorFlow.js graph';
  private params: tf.Variable[] = [];
  private moment1: tf.Variable[] = [];
  private moment2: tf.Variable[] = [];
  /** SuperLoss's τ state per model, [K, 1]. */
  private tauState!: tf.Variable;
  private readonly evaluator: Evaluator;
  private hyper: HyperTensors;
  private phaseMask: Tensor | null = null;
  private specs: ModelSpec[];
  private readonly adamT: number[];
  private readonly steps: number[];
  private readonly tauCount: number[];
  private readonly diverged: (string | null)[];
  private phases: Phase[] = [];
  private globalStep: number;
  private disposed = false;

  /** `view.metricsOnly`: a sweep's frames (the fit metrics alone, evaluator.ts). */
  constructor(
    points: Points,
    dataSpec: DataSpec | null,
    specs: ModelSpec[],
    private readonly train: TrainSettings = DEFAULT_TRAIN,
    state?: TrainingState,
    view: Pick<EvaluatorOptions, 'metricsOnly'> = {},
  ) {
    if (specs.length === 0) throw new Error('the engine needs at least one model');
    specs.forEach((s) => parseLossId(s.loss));
    const start = state ?? freshState(train.architecture, specs);
    const why = stateMismatch(start, train.architecture, specs);
    if (why) throw new Error(`cannot load this training state: ${why}`);
    this.specs = specs.map((s) => ({ ...s }));
    this.adamT = start.models.map((m) => m.t);
    this.steps = start.models.map((m) => m.steps);
    this.tauCount = start.models.map((m) => m.tauCount);
    this.diverged = start.models.map((m) => m.diverged);
    this.globalStep = start.step;
    this.evaluator = new Evaluator(points, dataSpec, train.architecture, {
      wide: hasEnsemble(specs),
      posthoc: train.posthoc,
      ...view,
    });
    try {
      this.hyper = buildHyper(this.specs, train);
      this.loadTensors(start);
    } catch (err) {
      this.evaluator.dispose();
      throw err;
    }
    this.updatePhases();
  }

  setPosthoc(settings: PosthocSettings): boolean {
    return this.evaluator.setPosthoc(settings);
  }

  get step(): number {
    return this.globalStep;
  }

  get modelCount(): number {
    return this.specs.length;
  }

  get models(): readonly ModelSpec[] {
    return this.specs;
  }

  get settings(): TrainSettings {
    return this.train;
  }

  /** Stacks the models' state into the variables (inside tidy: the sources go, the variables stay). */
  private loadTensors(state: TrainingState): void {
    const arch = this.train.architecture;
    const [p, m1, m2] = (['params', 'm', 'v'] as const).map((f) => stackField(state, arch, f));
    tf.tidy(() => {
      this.params = p.shapes.map((shape, i) => tf.variable(tf.tensor(p.values[i], shape), true));
      this.moment1 = p.shapes.map((shape, i) => tf.variable(tf.tensor(m1.values[i], shape), false));
      this.moment2 = p.shapes.map((shape, i) => tf.variable(tf.tensor(m2.values[i], shape), false));
      this.tauState = tf.variable(
        tf.tensor2d(
          state.models.map((m) => m.tau),
          [state.models.length, 1],
        ),
        false,
      );
    });
  }

  /** Recomputes each model's warm-up phase; rebuilds the phase mask only when one changed. */
  private updatePhases(): void {
    ({ phases: this.phases, mask: this.phaseMask } = nextPhaseMask(
      this.steps,
      this.specs,
      this.train,
      this.phases,
      this.phaseMask,
    ));
  }

  // ---------------------------------------------------------------- training

  /** Runs `count` optimisation steps for every model still training. Enqueues device work only; reads nothing back. */
  run(count = 1): void {
    for (let i = 0; i < count; i++) this.singleStep();
  }

  private singleStep(): void {
    if (this.disposed) throw new Error('the engine was disposed');
    this.updatePhases();
    const n = this.evaluator.points.x.length;
    const indices = batchIndices(this.train.batchSeed, this.globalStep, this.train.batchSize, n);
    const active = this.diverged.map((d) => d === null);
    const lr = this.specs.map((s) => this.train.learningRate * s.lrScale);
    const coefficients = stepCoefficients(this.train.optimizer, lr, active, this.adamT);
    const tauUpdate = this.tauCoefficients(active);
    tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const xb = tf.gather(this.evaluator.x, idx);
      const yb = tf.gather(this.evaluator.y, idx);
      const tau = tauOf(this.hyper, this.tauState);
      let batchMean: Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const { perModel, base } = objective({
          params: this.params,
          arch: this.train.architecture,
          h: this.hyper,
          tau,
          phases: this.phases,
          phaseMask: this.phaseMask!,
          x: xb,
          y: yb,
        });
        batchMean = tf.keep(tf.mean(base, -1, true));
        return tf.sum<tf.Scalar>(perModel);
      }, this.params);
      // Parameters no loss in use touches (the adaptive latents, say) get no gradient: a zero one.
      applyStep(
        this.train.optimizer,
        this.params,
        this.params.map((v) => grads[v.name] ?? tf.zerosLike(v)),
        this.moment1,
        this.moment2,
        coefficients,
      );
      if (tauUpdate) this.updateTau(batchMean!, tauUpdate);
      (batchMean as Tensor | null)?.dispose();
    });
    this.globalStep++;
    active.forEach((a, k) => {
      if (a) this.steps[k]++;
    });
  }

  /**
   * τ ← keep·τ + take·b̄ for SuperLoss models in their own phase (b̄: the batch's mean base loss): the running
   * average over the model's own-loss steps (n-th: keep (n−1)/n, take 1/n) or an EMA (0.9, 0.1; the first
   * step takes b̄). Null when no model moves τ this step.
   */
  private tauCoefficients(active: boolean[]): { keep: number[]; take: number[] } | null {
    let any = false;
    const keep = this.specs.map(() => 1);
    const take = this.specs.map(() => 0);
    this.specs.forEach((s, k) => {
      if (!active[k] || s.tauMode === 'fixed' || this.phases[k] !== 2 || parseLossId(s.loss).wrapper !== 'superloss')
        return;
      any = true;
      const n = ++this.tauCount[k];
      if (s.tauMode === 'running') [keep[k], take[k]] = [(n - 1) / n, 1 / n];
      else [keep[k], take[k]] = n === 1 ? [0, 1] : [0.9, 0.1];
    });
    return any ? { keep, take } : null;
  }

  private updateTau(batchMean: Tensor, c: { keep: number[]; take: number[] }): void {
    const k = this.specs.length;
    const next = tf.add(
      tf.mul(tf.tensor2d(c.keep, [k, 1]), this.tauState),
      tf.mul(tf.tensor2d(c.take, [k, 1]), batchMean),
    );
    // A non-finite batch loss leaves τ where it was.
    this.tauState.assign(tf.where(tf.isFinite(next), next, this.tauState));
  }

  // ---------------------------------------------------------------- live changes

  /** Changes model k's loss or hyperparameters; takes effect on the next step, nothing restarts. */
  updateModel(k: number, spec: ModelSpec): boolean {
    if (!(Number.isInteger(k) && k >= 0 && k < this.specs.length))
      throw new Error(`invalid model index; not in [0, ${this.specs.length}): ${k}`);
    if (spec.id !== this.specs[k].id) throw new Error(`model ${k + 1} is ${this.specs[k].id}, not ${spec.id}`);
    parseLossId(spec.loss);
    const specs = this.specs.map((s, j) => (j === k ? { ...spec } : s));
    const hyper = buildHyper(specs, this.train);
    disposeHyper(this.hyper);
    this.hyper = hyper;
    this.specs = specs;
    this.updatePhases();
    return true;
  }

  // ---------------------------------------------------------------- reading

  /** [K, 3P + 1]: every model's parameters, Adam moments (layout order) and τ, for one read. */
  private stateTensor(): Tensor {
    return tf.tidy(() => {
      const k = this.specs.length;
      const flat = (vs: tf.Variable[]) =>
        tf.concat(
          vs.map((p) => tf.reshape(p, [k, -1])),
          1,
        );
      return tf.concat([flat(this.params), flat(this.moment1), flat(this.moment2), this.tauState], 1);
    });
  }

  private stateFromRows(rows: Float32Array[]): TrainingState {
    const counters = {
      step: this.globalStep,
      ids: this.specs.map((m) => m.id),
      t: this.adamT,
      steps: this.steps,
      tauCount: this.tauCount,
      diverged: this.diverged,
    };
    return stateFromRows(rows, paramCount(this.train.architecture), counters);
  }

  /** The exact training state, with one read. */
  async exportState(): Promise<TrainingState> {
    const packed = this.stateTensor();
    const width = packed.shape[1]!;
    const flat = await readOnce(packed);
    return this.stateFromRows(this.specs.map((_, k) => flat.subarray(k * width, (k + 1) * width)));
  }

  async frame(withState: boolean): Promise<PathFrame> {
    const extra = withState ? this.stateTensor() : null;
    const tau = tauOf(this.hyper, this.tauState);
    try {
      const info = {
        specs: this.specs,
        train: this.train,
        steps: this.steps,
        diverged: this.diverged,
        step: this.globalStep,
        backend: tf.getBackend(),
      };
      const r = await this.evaluator.read(this.params, this.hyper, tau, extra, info);
      // Diverged models stop here; the state read with the frame still holds the values they diverged with.
      r.divergences.forEach((message, k) => (this.diverged[k] = message));
      return { snapshot: r.snapshot, state: r.extra ? this.stateFromRows(r.extra) : null };
    } finally {
      extra?.dispose();
      tau.dispose();
    }
  }

  async snapshot(): Promise<Snapshot> {
    return (await this.frame(false)).snapshot;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const v of [...this.params, ...this.moment1, ...this.moment2, this.tauState]) v?.dispose();
    disposeHyper(this.hyper);
    this.phaseMask?.dispose();
    this.evaluator.dispose();
  }
}

/** The tfjs engine as a PathFactory. */
export const enginePath: PathFactory = (points, truth, specs, train, state) =>
  new Engine(points, truth, specs, train, state);
