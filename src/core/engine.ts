// The batched trainer: K models, one set of kernel launches per step, hyperparameters as live tensors.
import { DEFAULT_TRAIN, type ModelSpec, type TrainSettings } from './config';
import { inputScale, linspace, makeHeldOut, truthOf, DATASETS, type DataSpec, type Points, type Truth } from './datasets';
import {
  adaptiveAlpha,
  adaptiveScale,
  barronAdaptiveNll,
  barronRhoTensor,
  betaNll,
  boltzmannWeights,
  faithful,
  gaussianNll,
  momentMatching,
  parseLossId,
  BASE_LOSSES,
  squaredError,
  studentTConstant,
  studentTNll,
  superlossSigmaTensor,
  type BaseLoss,
  type Wrapper,
} from './losses';
import { stopGradient } from './losses/stopGradient';
import { forward, paramLayout } from './model';
import { initialWeights } from './initialWeights';
import { hash32, STREAM } from './rng';
import { tf, type Tensor } from './tf';

export type ModelStatus = 'training' | 'paused' | 'diverged';
/** 0: mean-only warm-up, 1: NLL warm-up, 2: the model's own loss. */
export type Phase = 0 | 1 | 2;

export interface ModelMetrics {
  /** The model's own objective over the whole training set. */
  trainLoss: number;
  /** RMSE of μ to the true mean on a clean grid over the data's domain (NaN without a known truth). */
  rmse: number;
  /** Mean Gaussian NLL (with ½ log 2π) on a clean held-out set; NaN without a truth or a variance. */
  nll: number;
  /** Mean |σ − σ_true| on the clean grid. */
  sigmaError: number;
  /** Share of the total weight that falls on injected outliers (Boltzmann w, SuperLoss σ*, else uniform). */
  outlierWeightShare: number;
}

export interface ModelSnapshot {
  loss: string;
  status: ModelStatus;
  message: string | null;
  steps: number;
  phase: Phase;
  metrics: ModelMetrics;
  /** μ and σ on the snapshot's grid. */
  mu: Float32Array;
  sigma: Float32Array;
  /** Per training point: the model's per-sample loss, relative Boltzmann weight N·wᵢ, relative gradient weight N·αᵢ (eq. 7), SuperLoss σ*. */
  sampleLoss: Float32Array;
  weight: Float32Array;
  gradWeight: Float32Array;
  sigmaStar: Float32Array;
  /** Barron's adaptive α and c as learned (NaN for other losses). */
  learnedAlpha: number;
  learnedScale: number;
  /** All of this model's parameters, flattened in layout order: enough to restore it anywhere. */
  weights: Float32Array;
}

export interface Snapshot {
  step: number;
  backend: string;
  grid: Float32Array;
  truthMean: Float32Array | null;
  truthStd: Float32Array | null;
  models: ModelSnapshot[];
}

const GRID = 200;
const METRIC_GRID = 200;
const ADAM = { beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

interface DataTensors {
  x: Tensor;
  y: Tensor;
  /** Inputs evaluated at each snapshot: view grid, metric grid, held-out set, training set (standardised). */
  evalX: Tensor;
  trainY: Tensor;
}

interface HyperTensors {
  invT: Tensor;
  beta: Tensor;
  alpha: Tensor;
  welsch: Tensor;
  c: Tensor;
  lambda: Tensor;
  tauFixed: Tensor;
  tauModes: Tensor; // [K, 3]: fixed, running, ema
  nu: Tensor;
  tConst: Tensor;
  lr: Tensor; // [K]
  detachTrunk: Tensor; // [K, 1, 1]
  bases: Map<BaseLoss, Tensor>; // [K, 1] masks of the bases in use
  wrappers: Map<Wrapper, Tensor>;
}

function column(values: number[]): Tensor {
  return tf.tensor2d(values, [values.length, 1]);
}

/** Index of the j-th sample of minibatch `step`: a pure function, so every path draws the same batches. */
export function batchIndex(seed: number, step: number, j: number, n: number): number {
  return hash32(seed, STREAM.batch, step, j) % n;
}

export class Engine {
  private params: tf.Variable[] = [];
  private moment1: tf.Variable[] = [];
  private moment2: tf.Variable[] = [];
  /** Per-model optimiser step count (Adam's bias correction), [K]. */
  private adamStep!: tf.Variable;
  /** SuperLoss running τ state per model, [K, 1], and its count for the running average. */
  private tauState!: tf.Variable;
  private tauCount = 0;
  private data!: DataTensors;
  private hyper!: HyperTensors;
  private phaseMask!: Tensor; // [K, 3]
  private active!: Tensor; // [K]
  private specs: ModelSpec[];
  private steps: number[];
  private statuses: ModelStatus[];
  private messages: (string | null)[];
  private phases: Phase[];
  private points!: Points;
  private truth: Truth | null = null;
  private grid!: Float32Array;
  private metricGrid!: Float32Array;
  private heldOut!: { x: Float32Array; y: Float32Array };
  private xMean = 0;
  private xStd = 1;
  private globalStep = 0;
  private disposed = false;

  constructor(
    points: Points,
    dataSpec: DataSpec | null,
    specs: ModelSpec[],
    private train: TrainSettings = DEFAULT_TRAIN,
  ) {
    if (specs.length === 0) throw new Error('the engine needs at least one model');
    specs.forEach((s) => parseLossId(s.loss));
    this.specs = specs.map((s) => ({ ...s }));
    this.steps = specs.map(() => 0);
    this.statuses = specs.map(() => 'training');
    this.messages = specs.map(() => null);
    this.phases = specs.map(() => 0);
    this.setPoints(points, dataSpec);
    this.initParams();
    this.rebuildHyper();
    this.rebuildPhases(true);
  }

  get modelCount(): number {
    return this.specs.length;
  }

  get step(): number {
    return this.globalStep;
  }

  get settings(): TrainSettings {
    return this.train;
  }

  get models(): readonly ModelSpec[] {
    return this.specs;
  }

  // ---------------------------------------------------------------- set-up

  private setPoints(points: Points, dataSpec: DataSpec | null): void {
    if (points.x.length < 2) throw new Error('the data needs at least two points');
    this.points = points;
    this.truth = dataSpec ? truthOf(dataSpec) : null;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of points.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const scale = inputScale(points.x);
    this.xMean = scale.mean;
    this.xStd = scale.std;
    const domain = dataSpec ? DATASETS[dataSpec.dataset].domain : [lo, hi];
    const view = dataSpec ? DATASETS[dataSpec.dataset].view : [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)];
    this.grid = linspace(view[0], view[1], GRID);
    this.metricGrid = linspace(domain[0], domain[1], METRIC_GRID);
    this.heldOut = dataSpec ? makeHeldOut(dataSpec) : { x: new Float32Array(0), y: new Float32Array(0) };
    const standardise = (xs: Float32Array) => Float32Array.from(xs, (v) => (v - this.xMean) / this.xStd);
    const evalX = new Float32Array(GRID + METRIC_GRID + this.heldOut.x.length + points.x.length);
    evalX.set(standardise(this.grid), 0);
    evalX.set(standardise(this.metricGrid), GRID);
    evalX.set(standardise(this.heldOut.x), GRID + METRIC_GRID);
    evalX.set(standardise(points.x), GRID + METRIC_GRID + this.heldOut.x.length);
    const old = this.data;
    this.data = {
      x: tf.tensor1d(standardise(points.x)),
      y: tf.tensor1d(points.y),
      evalX: tf.tensor1d(evalX),
      trainY: tf.tensor1d(points.y),
    };
    if (old) Object.values(old).forEach((t) => t.dispose());
  }

  private initialValues(spec: ModelSpec): Float32Array[] {
    return initialWeights(this.train.architecture, spec);
  }

  /** Stacks the K models' initial values into one Float32Array per parameter. */
  private stackedInit(specs: ModelSpec[]): Float32Array[] {
    const perModel = specs.map((s) => this.initialValues(s));
    return perModel[0].map((_, p) => {
      const size = perModel[0][p].length;
      const out = new Float32Array(size * specs.length);
      perModel.forEach((values, k) => out.set(values[p], k * size));
      return out;
    });
  }

  private initParams(): void {
    this.disposeParams();
    const layout = paramLayout(this.train.architecture, this.specs.length);
    const values = this.stackedInit(this.specs);
    // tf.variable(t) copies t and leaves it alive: make the variables inside tidy so the sources go.
    tf.tidy(() => {
      this.params = layout.shapes.map((shape, p) => tf.variable(tf.tensor(values[p], shape), true));
      this.moment1 = layout.shapes.map((shape) => tf.variable(tf.zeros(shape), false));
      this.moment2 = layout.shapes.map((shape) => tf.variable(tf.zeros(shape), false));
      this.adamStep = tf.variable(tf.zeros([this.specs.length]), false);
      this.tauState = tf.variable(column(this.specs.map((s) => s.tau)), false);
    });
    this.tauCount = 0;
  }

  private disposeParams(): void {
    for (const v of [...this.params, ...this.moment1, ...this.moment2]) v.dispose();
    this.adamStep?.dispose();
    this.tauState?.dispose();
    this.params = [];
    this.moment1 = [];
    this.moment2 = [];
  }

  private rebuildHyper(): void {
    const old = this.hyper;
    const specs = this.specs;
    const parts = specs.map((s) => parseLossId(s.loss));
    const mask = (pred: (k: number) => boolean) => column(specs.map((_, k) => (pred(k) ? 1 : 0)));
    const bases = new Map<BaseLoss, Tensor>();
    const wrappers = new Map<Wrapper, Tensor>();
    for (const p of parts) {
      if (!bases.has(p.base)) bases.set(p.base, mask((k) => parts[k].base === p.base));
      if (!wrappers.has(p.wrapper)) wrappers.set(p.wrapper, mask((k) => parts[k].wrapper === p.wrapper));
    }
    const usesT = (k: number) => parts[k].wrapper === 'boltzmann' || parts[k].wrapper === 'boltzmann-const';
    this.hyper = {
      invT: column(specs.map((s, k) => (usesT(k) && Number.isFinite(s.T) ? 1 / s.T : 0))),
      beta: column(specs.map((s) => s.beta)),
      // −∞ never reaches a kernel: Welsch is a mask, and α itself is then any finite value.
      alpha: column(specs.map((s) => (Number.isFinite(s.alpha) ? s.alpha : 0))),
      welsch: column(specs.map((s) => (s.alpha === -Infinity ? 1 : 0))),
      c: column(specs.map((s) => s.c)),
      lambda: column(specs.map((s) => s.lambda)),
      tauFixed: column(specs.map((s) => s.tau)),
      tauModes: tf.tensor2d(specs.map((s) => [s.tauMode === 'fixed' ? 1 : 0, s.tauMode === 'running' ? 1 : 0, s.tauMode === 'ema' ? 1 : 0])),
      nu: column(specs.map((s) => s.nu)),
      tConst: column(specs.map((s) => studentTConstant(s.nu))),
      lr: tf.tensor1d(specs.map((s) => this.train.learningRate * s.lrScale)),
      detachTrunk: tf.tensor3d(parts.map((p) => [[p.base === 'faithful' ? 1 : 0]])),
      bases,
      wrappers,
    };
    if (old) disposeHyper(old);
    this.active?.dispose();
    this.active = tf.tensor1d(this.statuses.map((s) => (s === 'training' ? 1 : 0)));
  }

  /** Recomputes each model's warm-up phase; rebuilds the phase masks only when one changed. */
  private rebuildPhases(force = false): void {
    const phases = this.steps.map((s, k): Phase => {
      const a = this.specs[k].warmup?.meanSteps ?? this.train.warmupMeanSteps;
      const b = this.specs[k].warmup?.nllSteps ?? this.train.warmupNllSteps;
      return s < a ? 0 : s < a + b ? 1 : 2;
    });
    if (!force && phases.every((p, k) => p === this.phases[k])) return;
    this.phases = phases;
    this.phaseMask?.dispose();
    this.phaseMask = tf.tensor2d(phases.map((p) => [p === 0 ? 1 : 0, p === 1 ? 1 : 0, p === 2 ? 1 : 0]));
  }

  // ---------------------------------------------------------------- the objective

  /** Per-sample base losses [K, B] of every model, each row the model's own base loss. */
  private baseLosses(params: Tensor[], mu: Tensor, variance: Tensor, y: Tensor): Tensor {
    const h = this.hyper;
    const yb = tf.broadcastTo(tf.reshape(y, [1, -1]), mu.shape);
    let total: Tensor | null = null;
    for (const [base, mask] of h.bases) {
      let loss: Tensor;
      switch (base) {
        case 'nll':
          loss = gaussianNll(mu, variance, yb);
          break;
        case 'mse':
          loss = squaredError(mu, yb);
          break;
        case 'beta-nll':
          loss = betaNll(mu, variance, yb, h.beta);
          break;
        case 'student-t':
          loss = studentTNll(mu, variance, yb, h.nu, h.tConst);
          break;
        case 'faithful':
          loss = faithful(mu, variance, yb);
          break;
        case 'moment-matching':
          loss = momentMatching(mu, variance, yb);
          break;
        case 'barron':
          loss = barronRhoTensor(tf.sub(mu, yb), h.alpha, h.c, h.welsch);
          break;
        case 'barron-adaptive': {
          const n = params.length;
          loss = barronAdaptiveNll(tf.sub(mu, yb), params[n - 2], params[n - 1]);
          break;
        }
      }
      // One base for every model needs no mask (fewer kernels per step).
      if (h.bases.size === 1) return loss;
      // A mask of 0 must not let another model's non-finite loss in: select, do not multiply.
      const masked = tf.where(tf.broadcastTo(tf.greater(mask, 0.5), loss.shape), loss, tf.zerosLike(loss));
      total = total ? tf.add(total, masked) : masked;
    }
    return total!;
  }

  /** τ per model [K, 1] for SuperLoss: fixed, running average or EMA (the state is updated in `step`). */
  private tau(): Tensor {
    const h = this.hyper;
    const fixed = tf.slice(h.tauModes, [0, 0], [-1, 1]);
    return tf.add(tf.mul(fixed, h.tauFixed), tf.mul(tf.sub(1, fixed), this.tauState));
  }

  /** Each model's objective [K] over the samples of the last axis, given its per-sample base losses. */
  private wrapped(losses: Tensor): Tensor {
    const h = this.hyper;
    let total: Tensor | null = null;
    for (const [wrapper, mask] of h.wrappers) {
      let value: Tensor;
      switch (wrapper) {
        case 'none':
          value = tf.mean(losses, -1);
          break;
        case 'boltzmann':
        case 'boltzmann-const': {
          const w = boltzmannWeights(losses, h.invT);
          value = tf.sum(tf.mul(wrapper === 'boltzmann' ? w : stopGradient(w), losses), -1);
          break;
        }
        case 'superloss': {
          const tau = this.tau();
          const sigma = superlossSigmaTensor(losses, tau, h.lambda);
          value = tf.mean(tf.add(tf.mul(sigma, tf.sub(losses, tau)), tf.mul(h.lambda, tf.square(tf.log(sigma)))), -1);
          break;
        }
      }
      if (h.wrappers.size === 1) return value;
      const m = tf.reshape(mask, [-1]);
      const masked = tf.where(tf.greater(m, 0.5), value, tf.zerosLike(value));
      total = total ? tf.add(total, masked) : masked;
    }
    return total!;
  }

  /** The per-model training objective [K] on a batch, with the warm-up phases mixed in. */
  private objective(params: Tensor[], x: Tensor, y: Tensor): { perModel: Tensor; base: Tensor } {
    const { mu, variance } = forward(params, this.train.architecture, x, this.hyper.detachTrunk);
    const yb = tf.broadcastTo(tf.reshape(y, [1, -1]), mu.shape);
    const base = this.baseLosses(params, mu, variance, y);
    // Only the phases some model is in are computed; a single phase needs no mask.
    const present = [0, 1, 2].filter((ph) => this.phases.includes(ph as Phase));
    const term = (ph: number) => (ph === 0 ? tf.mean(squaredError(mu, yb), -1) : ph === 1 ? tf.mean(gaussianNll(mu, variance, yb), -1) : this.wrapped(base));
    if (present.length === 1) return { perModel: term(present[0]), base };
    const p = this.phaseMask;
    const perModel = tf.addN(
      present.map((ph) => {
        const t = term(ph);
        return tf.where(tf.greater(tf.reshape(tf.slice(p, [0, ph], [-1, 1]), [-1]), 0.5), t, tf.zerosLike(t));
      }),
    );
    return { perModel, base };
  }

  // ---------------------------------------------------------------- training

  /** Runs `count` optimisation steps for every active model. Enqueues GPU work only; reads nothing back. */
  run(count = 1): void {
    for (let i = 0; i < count; i++) this.singleStep();
  }

  private batchIndices(): Int32Array {
    const n = this.points.x.length;
    const b = this.train.batchSize;
    // A batch as large as the data is the full data set, in order (Barron's line fit uses full batches).
    if (b >= n) return Int32Array.from({ length: n }, (_, i) => i);
    const out = new Int32Array(b);
    for (let j = 0; j < b; j++) out[j] = batchIndex(this.train.batchSeed, this.globalStep, j, n);
    return out;
  }

  private singleStep(): void {
    if (this.disposed) throw new Error('the engine was disposed');
    this.rebuildPhases();
    const indices = this.batchIndices();
    tf.tidy(() => {
      const idx = tf.tensor1d(indices, 'int32');
      const xb = tf.gather(this.data.x, idx);
      const yb = tf.gather(this.data.y, idx);
      let batchBase: Tensor | null = null;
      const { grads } = tf.variableGrads(() => {
        const { perModel, base } = this.objective(this.params, xb, yb);
        batchBase = tf.keep(tf.mean(base, -1, true));
        return tf.sum(perModel) as tf.Scalar;
      }, this.params);
      // Parameters no loss in use touches (the adaptive latents, say) get no gradient: a zero one.
      this.applyGradients(this.params.map((v) => grads[v.name] ?? tf.zerosLike(v)));
      this.updateTau(batchBase!);
      (batchBase as Tensor | null)?.dispose();
    });
    this.globalStep++;
    this.statuses.forEach((s, k) => {
      if (s === 'training') this.steps[k]++;
    });
  }

  private updateTau(batchMean: Tensor): void {
    // τ as the running average (all batches so far) or an exponential moving average (0.9) of the batch mean loss.
    this.tauCount++;
    const h = this.hyper;
    const running = tf.slice(h.tauModes, [0, 1], [-1, 1]);
    const ema = tf.slice(h.tauModes, [0, 2], [-1, 1]);
    const n = this.tauCount;
    const runningValue = n === 1 ? batchMean : tf.add(tf.mul(this.tauState, (n - 1) / n), tf.mul(batchMean, 1 / n));
    const emaValue = n === 1 ? batchMean : tf.add(tf.mul(this.tauState, 0.9), tf.mul(batchMean, 0.1));
    const next = tf.addN([tf.mul(running, runningValue), tf.mul(ema, emaValue), tf.mul(tf.sub(1, tf.add(running, ema)), this.tauState)]);
    // Only models in their own phase with SuperLoss move τ; keep the old value where the loss is not finite.
    const live = tf.logicalAnd(tf.isFinite(next), tf.greater(tf.slice(this.phaseMask, [0, 2], [-1, 1]), 0.5));
    this.tauState.assign(tf.where(live, next, this.tauState));
  }

  private applyGradients(grads: Tensor[]): void {
    const lr = tf.mul(this.hyper.lr, this.active);
    const shaped = (v: Tensor, rank: number) => tf.reshape(v, [-1, ...Array(rank - 1).fill(1)]);
    if (this.train.optimizer === 'sgd') {
      this.params.forEach((v, p) => v.assign(tf.sub(v, tf.mul(shaped(lr, v.rank), grads[p]))));
      return;
    }
    const t = tf.add(this.adamStep, this.active);
    this.adamStep.assign(t);
    const c1 = tf.sub(1, tf.pow(ADAM.beta1, t));
    const c2 = tf.sub(1, tf.pow(ADAM.beta2, t));
    // Paused models (t unchanged, possibly 0) get lr 0; keep their corrections away from 0/0.
    const step = tf.div(lr, tf.maximum(c1, 1e-12));
    const c2s = tf.maximum(c2, 1e-12);
    this.params.forEach((v, p) => {
      const g = grads[p];
      const m = tf.add(tf.mul(this.moment1[p], ADAM.beta1), tf.mul(g, 1 - ADAM.beta1));
      const s = tf.add(tf.mul(this.moment2[p], ADAM.beta2), tf.mul(tf.square(g), 1 - ADAM.beta2));
      this.moment1[p].assign(m);
      this.moment2[p].assign(s);
      const denom = tf.add(tf.sqrt(tf.div(s, shaped(c2s, v.rank))), ADAM.epsilon);
      v.assign(tf.sub(v, tf.mul(shaped(step, v.rank), tf.div(m, denom))));
    });
  }

  // ---------------------------------------------------------------- live changes

  /** Changes hyperparameters (and the loss) of model k; takes effect on the next step, no reset. */
  updateModel(k: number, patch: Partial<ModelSpec>): void {
    this.checkIndex(k);
    const next = { ...this.specs[k], ...patch };
    parseLossId(next.loss);
    this.specs[k] = next;
    this.rebuildHyper();
    this.rebuildPhases();
  }

  setTrainSettings(patch: Partial<TrainSettings>): void {
    const archChanged = patch.architecture && JSON.stringify(patch.architecture) !== JSON.stringify(this.train.architecture);
    this.train = { ...this.train, ...patch };
    if (archChanged) this.resetAll();
    else {
      this.rebuildHyper();
      this.rebuildPhases(true);
    }
  }

  /**
   * New data. By default every model restarts from its initial weights; with keepWeights the models go
   * on from where they are (the input standardisation follows the new data).
   */
  setData(points: Points, dataSpec: DataSpec | null, keepWeights = false): void {
    this.setPoints(points, dataSpec);
    if (!keepWeights) this.resetAll();
  }

  resetAll(): void {
    this.steps = this.specs.map(() => 0);
    this.statuses = this.specs.map(() => 'training');
    this.messages = this.specs.map(() => null);
    this.globalStep = 0;
    this.initParams();
    this.rebuildHyper();
    this.rebuildPhases(true);
  }

  /** Restarts model k from its initial weights; the others go on. */
  resetModel(k: number): void {
    this.checkIndex(k);
    this.restack(this.specs.map((_, j) => (j === k ? null : j)), this.specs);
  }

  /**
   * Rebuilds the stack: slot j of the new stack copies old model sources[j], or starts fresh where it is
   * null. Adding, removing, duplicating and resetting models are all this one operation.
   */
  restack(sources: (number | null)[], specs: ModelSpec[]): void {
    if (sources.length !== specs.length || specs.length === 0) throw new Error('restack needs one source per model, and at least one model');
    sources.forEach((s) => s !== null && this.checkIndex(s));
    specs.forEach((s) => parseLossId(s.loss));
    const fresh = this.stackedInit(specs);
    const k = specs.length;
    const gatherIdx = sources.map((s) => s ?? 0);
    const isFresh = sources.map((s) => (s === null ? 1 : 0));
    const layout = paramLayout(this.train.architecture, k);
    const rebuild = (vars: tf.Variable[], init: (p: number) => Tensor, trainable: boolean) =>
      vars.map((v, p) =>
        tf.tidy(() => {
          const kept = tf.gather(v, tf.tensor1d(gatherIdx, 'int32'));
          const mask = tf.reshape(tf.tensor1d(isFresh), [k, ...Array(v.rank - 1).fill(1)]);
          return tf.variable(tf.where(tf.broadcastTo(tf.greater(mask, 0.5), kept.shape), init(p), kept), trainable);
        }),
      );
    const params = rebuild(this.params, (p) => tf.tensor(fresh[p], layout.shapes[p]), true);
    const m1 = rebuild(this.moment1, (p) => tf.zeros(layout.shapes[p]), false);
    const m2 = rebuild(this.moment2, (p) => tf.zeros(layout.shapes[p]), false);
    const [adamStep, tauState] = tf.tidy(() => {
      const idx = tf.tensor1d(gatherIdx, 'int32');
      const fr = tf.greater(tf.tensor1d(isFresh), 0.5);
      const a = tf.where(fr, tf.zeros([k]), tf.gather(this.adamStep, idx));
      const t = tf.where(tf.reshape(fr, [k, 1]), column(specs.map((s) => s.tau)), tf.gather(this.tauState, idx));
      return [tf.variable(a, false), tf.variable(t, false)];
    });
    this.disposeParams();
    this.params = params;
    this.moment1 = m1;
    this.moment2 = m2;
    this.adamStep = adamStep;
    this.tauState = tauState;
    const pick = <T>(arr: T[], fallback: T) => sources.map((s) => (s === null ? fallback : arr[s]));
    this.steps = pick(this.steps, 0);
    this.statuses = pick(this.statuses, 'training' as ModelStatus);
    this.messages = pick(this.messages, null);
    this.specs = specs.map((s) => ({ ...s }));
    this.rebuildHyper();
    this.rebuildPhases(true);
  }

  private checkIndex(k: number): void {
    if (!(Number.isInteger(k) && k >= 0 && k < this.specs.length)) throw new Error(`invalid model index; not in [0, ${this.specs.length}): ${k}`);
  }

  // ---------------------------------------------------------------- reading

  /** Parameters of all models as plain arrays (for export, backend fail-over and tests). One read per tensor. */
  async getWeights(): Promise<{ shapes: number[][]; values: Float32Array[]; moment1: Float32Array[]; moment2: Float32Array[]; adamStep: Float32Array }> {
    const read = (ts: Tensor[]) => Promise.all(ts.map(async (t) => (await t.data()) as Float32Array));
    return {
      shapes: this.params.map((p) => p.shape),
      values: await read(this.params),
      moment1: await read(this.moment1),
      moment2: await read(this.moment2),
      adamStep: (await this.adamStep.data()) as Float32Array,
    };
  }

  /** Every model's flattened parameters and step counts, with one read (to hand the run to another path). */
  async modelWeights(): Promise<{ weights: Float32Array[]; steps: number[]; step: number }> {
    const k = this.specs.length;
    const packed = tf.tidy(() => tf.concat(this.params.map((p) => tf.reshape(p, [k, -1])), 1));
    const width = packed.shape[1]!;
    const flat = (await packed.data()) as Float32Array;
    packed.dispose();
    return { weights: this.specs.map((_, m) => flat.slice(m * width, (m + 1) * width)), steps: [...this.steps], step: this.globalStep };
  }

  /** Restores every model from per-model flattened weights (as snapshots carry them); optimiser state restarts. */
  loadModelWeights(perModel: Float32Array[], steps?: number[], globalStep?: number): void {
    if (perModel.length !== this.specs.length) throw new Error(`weights for ${perModel.length} models; the engine has ${this.specs.length}`);
    const k = this.specs.length;
    const sizes = this.params.map((p) => p.size / k);
    const total = sizes.reduce((a, b) => a + b, 0);
    perModel.forEach((w, m) => {
      if (w.length !== total) throw new Error(`model ${m} has ${w.length} weights; the architecture needs ${total}`);
    });
    const values = sizes.map((size, p) => {
      const offset = sizes.slice(0, p).reduce((a, b) => a + b, 0);
      const out = new Float32Array(size * k);
      perModel.forEach((w, m) => out.set(w.subarray(offset, offset + size), m * size));
      return out;
    });
    this.setWeights({ values, steps, globalStep, adamStep: Float32Array.from(steps ?? perModel.map(() => 0)) });
  }

  setWeights(w: { values: Float32Array[]; moment1?: Float32Array[]; moment2?: Float32Array[]; adamStep?: Float32Array; steps?: number[]; globalStep?: number }): void {
    if (w.values.length !== this.params.length) throw new Error(`weights have ${w.values.length} tensors; the model has ${this.params.length}`);
    this.params.forEach((v, p) => {
      if (w.values[p].length !== v.size) throw new Error(`weight tensor ${p} has ${w.values[p].length} values; expected ${v.size}`);
      v.assign(tf.tensor(w.values[p], v.shape));
      this.moment1[p].assign(w.moment1 ? tf.tensor(w.moment1[p], v.shape) : tf.zeros(v.shape));
      this.moment2[p].assign(w.moment2 ? tf.tensor(w.moment2[p], v.shape) : tf.zeros(v.shape));
    });
    if (w.adamStep) this.adamStep.assign(tf.tensor1d(w.adamStep));
    if (w.steps) this.steps = [...w.steps];
    if (w.globalStep !== undefined) this.globalStep = w.globalStep;
    this.rebuildPhases(true);
  }

  /**
   * Everything the views need, with ONE read from the device: μ, σ² on the grids, the held-out and the
   * training points, and per training point each model's loss, weight, gradient weight and σ*.
   */
  async snapshot(): Promise<Snapshot> {
    const k = this.specs.length;
    const nTrain = this.points.x.length;
    const nHeld = this.heldOut.x.length;
    const nEval = GRID + METRIC_GRID + nHeld + nTrain;
    const packed = tf.tidy(() => {
      const { mu, variance } = forward(this.params, this.train.architecture, this.data.evalX);
      const muT = tf.slice(mu, [0, nEval - nTrain], [-1, nTrain]);
      const varT = tf.slice(variance, [0, nEval - nTrain], [-1, nTrain]);
      const yT = this.data.trainY;
      const base = this.baseLosses(this.params, muT, varT, yT);
      const h = this.hyper;
      const w = boltzmannWeights(base, h.invT);
      const meanLoss = tf.sum(tf.mul(w, base), -1, true);
      const alpha = tf.mul(w, tf.add(1, tf.mul(tf.sub(meanLoss, base), h.invT)));
      const sigmaStar = superlossSigmaTensor(base, this.tau(), h.lambda);
      const trainLoss = tf.reshape(this.wrapped(base), [k, 1]);
      const finite = tf.stack(this.params.map((p) => tf.all(tf.isFinite(tf.reshape(p, [k, -1])), 1)), 1);
      const paramsFinite = tf.cast(tf.all(finite, 1, true), 'float32');
      const n = this.params.length;
      const learned = tf.concat([adaptiveAlpha(this.params[n - 2]), adaptiveScale(this.params[n - 1])], 1);
      const weights = this.params.map((p) => tf.reshape(p, [k, -1]));
      return tf.concat([mu, variance, base, tf.mul(w, nTrain), tf.mul(alpha, nTrain), sigmaStar, trainLoss, paramsFinite, learned, ...weights], 1);
    });
    const width = packed.shape[1]!;
    let flat: Float32Array;
    try {
      flat = (await packed.data()) as Float32Array;
    } finally {
      packed.dispose();
    }
    return this.unpack(flat, width, nTrain, nHeld);
  }

  private unpack(flat: Float32Array, width: number, nTrain: number, nHeld: number): Snapshot {
    const k = this.specs.length;
    const nEval = GRID + METRIC_GRID + nHeld + nTrain;
    const truth = this.truth;
    const truthMean = truth ? Float32Array.from(this.grid, (x) => truth.mean(x)) : null;
    const truthStd = truth ? Float32Array.from(this.grid, (x) => truth.std(x)) : null;
    const models: ModelSnapshot[] = [];
    for (let m = 0; m < k; m++) {
      const row = flat.subarray(m * width, (m + 1) * width);
      let o = 0;
      const take = (len: number) => row.subarray(o, (o += len));
      const mu = take(nEval);
      const variance = take(nEval);
      const sampleLoss = Float32Array.from(take(nTrain));
      const weight = Float32Array.from(take(nTrain));
      const gradWeight = Float32Array.from(take(nTrain));
      const sigmaStar = Float32Array.from(take(nTrain));
      const [trainLoss, paramsFinite, learnedAlpha, learnedScale] = take(4);
      const weights = Float32Array.from(row.subarray(o));
      const spec = this.specs[m];
      const parts = parseLossId(spec.loss);
      const metrics = this.metrics(mu, variance, nHeld, parts.wrapper, BASE_LOSSES[parts.base].predictsVariance, weight, sigmaStar, trainLoss);
      this.checkDivergence(m, trainLoss, paramsFinite > 0.5, variance);
      models.push({
        loss: spec.loss,
        status: this.statuses[m],
        message: this.messages[m],
        steps: this.steps[m],
        phase: this.phases[m],
        metrics,
        mu: Float32Array.from(mu.subarray(0, GRID)),
        sigma: Float32Array.from(variance.subarray(0, GRID), Math.sqrt),
        sampleLoss,
        weight,
        gradWeight,
        sigmaStar,
        learnedAlpha: parts.base === 'barron-adaptive' ? learnedAlpha : NaN,
        learnedScale: parts.base === 'barron-adaptive' ? learnedScale : NaN,
        weights,
      });
    }
    return { step: this.globalStep, backend: tf.getBackend(), grid: this.grid, truthMean, truthStd, models };
  }

  private metrics(mu: Float32Array, variance: Float32Array, nHeld: number, wrapper: Wrapper, withVariance: boolean, weight: Float32Array, sigmaStar: Float32Array, trainLoss: number): ModelMetrics {
    let rmse = NaN;
    let sigmaError = NaN;
    let nll = NaN;
    const truth = this.truth;
    if (truth) {
      let se = 0;
      let ae = 0;
      for (let i = 0; i < METRIC_GRID; i++) {
        const x = this.metricGrid[i];
        se += (mu[GRID + i] - truth.mean(x)) ** 2;
        ae += Math.abs(Math.sqrt(variance[GRID + i]) - truth.std(x));
      }
      rmse = Math.sqrt(se / METRIC_GRID);
      let total = 0;
      // A mean-only loss (MSE, Barron) never trains the variance head: no σ error or NLL to report.
      if (withVariance) sigmaError = ae / METRIC_GRID;
      for (let i = 0; withVariance && i < nHeld; i++) {
        const j = GRID + METRIC_GRID + i;
        total += 0.5 * Math.log(2 * Math.PI * variance[j]) + (this.heldOut.y[i] - mu[j]) ** 2 / (2 * variance[j]);
      }
      if (withVariance) nll = total / nHeld;
    }
    const share = wrapper === 'superloss' ? sigmaStar : weight;
    let onOutliers = 0;
    let all = 0;
    this.points.isOutlier.forEach((o, i) => {
      all += share[i];
      if (o) onOutliers += share[i];
    });
    return { trainLoss, rmse, nll, sigmaError, outlierWeightShare: all > 0 ? onOutliers / all : NaN };
  }

  private checkDivergence(m: number, trainLoss: number, paramsFinite: boolean, variance: Float32Array): void {
    if (this.statuses[m] !== 'training') return;
    if (paramsFinite && Number.isFinite(trainLoss)) return;
    const floor = this.train.architecture.varianceFloor;
    let minVar = Infinity;
    for (const v of variance) if (v < minVar) minVar = v;
    const what = !paramsFinite ? 'its parameters became NaN or infinite' : 'its loss became NaN or infinite';
    const why = minVar <= floor * 1.01 ? `; the variance had collapsed to the floor (${floor})` : '';
    this.statuses[m] = 'diverged';
    this.messages[m] = `${this.specs[m].loss} diverged at step ${this.steps[m]}: ${what}${why}. Lower the learning rate (now ${this.train.learningRate}) or reset this model.`;
    this.active.dispose();
    this.active = tf.tensor1d(this.statuses.map((s) => (s === 'training' ? 1 : 0)));
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.disposeParams();
    disposeHyper(this.hyper);
    this.phaseMask.dispose();
    this.active.dispose();
    Object.values(this.data).forEach((t) => t.dispose());
  }
}

function disposeHyper(h: HyperTensors): void {
  for (const [key, value] of Object.entries(h)) {
    if (value instanceof Map) value.forEach((t: Tensor) => t.dispose());
    else if (key !== 'bases' && key !== 'wrappers') (value as Tensor).dispose();
  }
}
