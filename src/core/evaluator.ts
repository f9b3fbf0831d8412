// A snapshot of K models with ONE read from the device: μ and σ on the view grid, the fit metrics, and per
// training point each model's loss, weight, gradient weight and σ*. Fed by any path's parameter tensors.
import type { ModelSpec, TrainSettings } from './config';
import {
  inputScale,
  linspace,
  makeHeldOut,
  truthOf,
  DATASETS,
  type DataSpec,
  type Points,
  type Truth,
} from './datasets';
import type { HyperTensors } from './hyper';
import { adaptiveAlpha, adaptiveScale, parseLossId } from './losses';
import { predictiveOf } from './metrics';
import { forward, type Architecture } from './model';
import { baseLosses, sampleWeights, wrapperObjective } from './objective';
import { phaseAt, warmupOf } from './state';
import { readOnce, tf, type Tensor } from './tf';
import { UncertaintyJudge, type JudgeRequest } from './uncertainty';
import { ensembleSnapshot, type EvalContext, type MemberRow } from './ensembleSnapshot';
import type { ModelSnapshot, ModelStatus, Snapshot } from './snapshot';
import { groupMembers } from './members';
import { addPosthoc, singleSnapshot } from './modelSnapshot';
import type { PosthocSettings } from './posthoc';

export type { ModelMetrics, ModelSnapshot, ModelStatus, Snapshot } from './snapshot';

export interface EvaluatorOptions {
  /** Widen the fit panels' x range well beyond the data (a run with an ensemble: its epistemic band grows there). */
  wide?: boolean;
  /**
   * A sweep's frame (src/core/sweep.ts): the fit metrics alone. The read holds μ and v on the metric grid and the
   * held-out set only (no view-grid curves, no per-point arrays) and the uncertainty judge is skipped, so a frame
   * of K = 64 costs a fraction of a full one. Models then have empty mu, sigma and per-point arrays.
   */
  metricsOnly?: boolean;
  /** Post-hoc methods (TrainSettings.posthoc), fitted on the points' calibration share (posthoc.ts calibrationSplit). */
  posthoc?: PosthocSettings;
}

/** How far beyond the training inputs a wide view reaches, as a share of their range on each side. */
export const WIDE_MARGIN = 0.3;

/** What a path knows of its models besides their tensors. */
export interface SnapshotInfo {
  specs: readonly ModelSpec[];
  train: TrainSettings;
  steps: readonly number[];
  diverged: readonly (string | null)[];
  step: number;
  backend: string;
}

const GRID = 200;
const METRIC_GRID = 200;

export class Evaluator {
  readonly points: Points;
  readonly truth: Truth | null;
  readonly grid: Float32Array;
  private readonly metricGrid: Float32Array;
  private readonly heldOut: { x: Float32Array; y: Float32Array };
  /** The calibration share (posthoc.ts) and the settings that judge with it; null when post-hoc methods are off. */
  private posthoc: { settings: PosthocSettings; x: Float32Array; y: Float32Array; isOutlier: Uint8Array } | null;
  private readonly truthGrid: { mean: Float32Array; std: Float32Array } | null;
  private readonly truthMetric: { mean: Float64Array; std: Float64Array } | null;
  /** Standardised training inputs and targets (what the tfjs path trains on). */
  readonly x: Tensor;
  readonly y: Tensor;
  private readonly evalX: Tensor;
  private readonly judge = new UncertaintyJudge();
  private readonly heldOutInfo: Snapshot['heldOut'];
  private readonly metricsOnly: boolean;
  /** Points of the view grid in evalX (0 in a metrics-only frame). */
  private readonly gridN: number;
  private disposed = false;

  constructor(
    points: Points,
    dataSpec: DataSpec | null,
    private readonly arch: Architecture,
    options: EvaluatorOptions = {},
  ) {
    if (points.x.length < 2) throw new Error('the data needs at least two points');
    this.points = points;
    this.metricsOnly = options.metricsOnly === true;
    this.gridN = this.metricsOnly ? 0 : GRID;
    const truth = dataSpec ? truthOf(dataSpec) : null;
    this.truth = truth;
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of points.x) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const { mean, std } = inputScale(points.x, arch);
    const domain = dataSpec ? DATASETS[dataSpec.dataset].domain : [lo, hi];
    const [a, b] = dataSpec ? domain : [lo, hi];
    const view = options.wide
      ? [a - WIDE_MARGIN * (b - a), b + WIDE_MARGIN * (b - a)]
      : dataSpec
        ? DATASETS[dataSpec.dataset].view
        : [lo - 0.05 * (hi - lo), hi + 0.05 * (hi - lo)];
    this.grid = linspace(view[0], view[1], GRID);
    this.metricGrid = linspace(domain[0], domain[1], METRIC_GRID);
    // Generated data: a clean set from its own stream; your own data: its held-out share, if any (split.ts).
    this.heldOut = dataSpec
      ? makeHeldOut(dataSpec)
      : (points.heldOut ?? { x: new Float32Array(0), y: new Float32Array(0) });
    this.heldOutInfo = this.heldOut.x.length ? { kind: dataSpec ? 'clean' : 'split', n: this.heldOut.x.length } : null;
    this.posthoc =
      options.posthoc && points.calibration && !this.metricsOnly
        ? { settings: options.posthoc, ...points.calibration }
        : null;
    const cal = this.posthoc?.x ?? new Float32Array(0);
    this.truthGrid = truth
      ? { mean: Float32Array.from(this.grid, truth.mean), std: Float32Array.from(this.grid, truth.std) }
      : null;
    this.truthMetric = truth
      ? { mean: Float64Array.from(this.metricGrid, truth.mean), std: Float64Array.from(this.metricGrid, truth.std) }
      : null;
    const standardise = (xs: Float32Array) => Float32Array.from(xs, (v) => (v - mean) / std);
    const g = this.gridN;
    // grid | metric grid | held-out | calibration share | training points
    const evalX = new Float32Array(g + METRIC_GRID + this.heldOut.x.length + cal.length + points.x.length);
    if (g) evalX.set(standardise(this.grid), 0);
    evalX.set(standardise(this.metricGrid), g);
    evalX.set(standardise(this.heldOut.x), g + METRIC_GRID);
    evalX.set(standardise(cal), g + METRIC_GRID + this.heldOut.x.length);
    evalX.set(standardise(points.x), g + METRIC_GRID + this.heldOut.x.length + cal.length);
    this.x = tf.tensor1d(standardise(points.x));
    this.y = tf.tensor1d(points.y);
    this.evalX = tf.tensor1d(evalX);
  }

  /**
   * Packs the snapshot of models with these parameters into ONE [K, width] tensor, with `extra` ([K, E], e.g.
   * the training state) appended to each row so that it comes back in the same read.
   */
  private pack(params: Tensor[], h: HyperTensors, tau: Tensor, extra: Tensor | null): Tensor {
    return tf.tidy(() => {
      const k = params[0].shape[0];
      const nTrain = this.points.x.length;
      const nEval = this.evalX.shape[0];
      const { mu, variance } = forward(params, this.arch, this.evalX);
      const muT = tf.slice(mu, [0, nEval - nTrain], [-1, nTrain]);
      const varT = tf.slice(variance, [0, nEval - nTrain], [-1, nTrain]);
      const base = baseLosses(params, muT, varT, this.y, h);
      const { weight, gradWeight, sigmaStar } = sampleWeights(base, h, tau);
      const trainLoss = tf.reshape(wrapperObjective(base, h, tau), [k, 1]);
      const finite = tf.stack(
        params.map((p) => tf.all(tf.isFinite(tf.reshape(p, [k, -1])), 1)),
        1,
      );
      const paramsFinite = tf.cast(tf.all(finite, 1, true), 'float32');
      const n = params.length;
      const learned = tf.concat([adaptiveAlpha(params[n - 2]), adaptiveScale(params[n - 1])], 1);
      // Metrics only: μ and v on the metric grid and held-out set (the training points' losses stay on the device).
      const fit = nEval - nTrain;
      const parts = this.metricsOnly
        ? [tf.slice(mu, [0, 0], [-1, fit]), tf.slice(variance, [0, 0], [-1, fit]), trainLoss, paramsFinite, learned]
        : [mu, variance, base, weight, gradWeight, sigmaStar, trainLoss, paramsFinite, learned];
      return tf.concat(extra ? [...parts, extra] : parts, 1);
    });
  }

  /** The snapshot, the `extra` rows, and the models found diverged by it (with the reason). One read. */
  async read(
    params: Tensor[],
    h: HyperTensors,
    tau: Tensor,
    extra: Tensor | null,
    info: SnapshotInfo,
  ): Promise<{ snapshot: Snapshot; extra: Float32Array[] | null; divergences: Map<number, string> }> {
    if (this.disposed) throw new Error('the evaluator was disposed');
    const packed = this.pack(params, h, tau, extra);
    const width = packed.shape[1]!;
    return this.unpack(await readOnce(packed), width, extra ? extra.shape[1]! : 0, info);
  }

  private unpack(flat: Float32Array, width: number, extraWidth: number, info: SnapshotInfo) {
    const nTrain = this.points.x.length;
    const nHeld = this.heldOut.x.length;
    const nCal = this.posthoc?.x.length ?? 0;
    const nEval = this.gridN + METRIC_GRID + nHeld + nCal + nTrain;
    const nRead = this.metricsOnly ? nEval - nTrain : nEval;
    const perPoint = this.metricsOnly ? 0 : nTrain;
    const extras: Float32Array[] = [];
    const divergences = new Map<number, string>();
    const rows: MemberRow[] = info.specs.map((spec, m) => {
      const row = flat.subarray(m * width, (m + 1) * width);
      let o = 0;
      const take = (len: number) => row.subarray(o, (o += len));
      const mu = take(nRead);
      const v = take(nRead);
      const sampleLoss = take(perPoint).slice();
      const weight = take(perPoint).slice();
      const gradWeight = take(perPoint).slice();
      const sigmaStar = take(perPoint).slice();
      const [trainLoss, paramsFinite, learnedAlpha, learnedScale] = take(4);
      if (extraWidth) extras.push(take(extraWidth).slice());
      let status: ModelStatus = info.diverged[m] === null ? 'training' : 'diverged';
      let message = info.diverged[m];
      if (status === 'training' && !(paramsFinite > 0.5 && Number.isFinite(trainLoss))) {
        message = divergenceMessage(spec, info, m, paramsFinite > 0.5, v);
        divergences.set(m, message);
        status = 'diverged';
      }
      const adaptive = parseLossId(spec.loss).base === 'barron-adaptive';
      return {
        spec,
        mu,
        v,
        sampleLoss,
        weight,
        gradWeight,
        sigmaStar,
        trainLoss,
        learnedAlpha: adaptive ? learnedAlpha : NaN,
        learnedScale: adaptive ? learnedScale : NaN,
        predictive: predictiveOf(spec),
        status,
        message,
        steps: info.steps[m],
      };
    });
    const ctx: EvalContext = {
      grid: this.gridN,
      metricGrid: METRIC_GRID,
      held: nHeld,
      cal: nCal,
      train: perPoint,
      truthMean: this.truthMetric?.mean ?? null,
      truthStd: this.truthMetric?.std ?? null,
      heldY: this.heldOut.y,
      trainY: this.points.y,
      isOutlier: this.points.isOutlier,
      phaseOf: (spec, steps) => phaseAt(steps, warmupOf(spec, info.train)),
    };
    const models: ModelSnapshot[] = [];
    const judging: JudgeRequest[] = [];
    // An ensemble's members fold into one model (members.ts); a plain model is a group of one.
    for (const group of groupMembers(info.specs)) {
      const members = group.members.map((k) => rows[k]);
      const r = members.length > 1 ? ensembleSnapshot(group.spec, members, ctx) : singleSnapshot(members[0], ctx);
      if (this.posthoc)
        addPosthoc(r, members, ctx, {
          settings: this.posthoc.settings,
          y: this.posthoc.y,
          heldX: this.heldOut.x,
          range: [this.metricGrid[0], this.metricGrid[this.metricGrid.length - 1]],
        });
      models.push(r.model);
      judging.push(r.request);
    }
    if (!this.metricsOnly) this.judge.judge(judging).forEach((block, m) => (models[m].uncertainty = block));
    const snapshot: Snapshot = {
      step: info.step,
      backend: info.backend,
      grid: this.grid,
      truthMean: this.truthGrid?.mean ?? null,
      truthStd: this.truthGrid?.std ?? null,
      models,
      heldOut: this.heldOutInfo,
    };
    if (this.posthoc)
      snapshot.posthoc = {
        settings: this.posthoc.settings,
        n: this.posthoc.x.length,
        outliers: this.posthoc.isOutlier.reduce((s, o) => s + o, 0),
      };
    return { snapshot, extra: extraWidth ? extras : null, divergences };
  }

  /**
   * A live change of the post-hoc settings that keeps the calibration split (level, score, recalibration): applied
   * from the next frame, nothing rebuilt. False when the split would change (share, seed, clean) or post-hoc is off.
   */
  setPosthoc(settings: PosthocSettings): boolean {
    const ph = this.posthoc;
    if (
      !ph ||
      ph.settings.share !== settings.share ||
      ph.settings.seed !== settings.seed ||
      ph.settings.calibration !== settings.calibration
    )
      return false;
    this.posthoc = { ...ph, settings };
    return true;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.x.dispose();
    this.y.dispose();
    this.evalX.dispose();
  }
}

function divergenceMessage(
  spec: ModelSpec,
  info: SnapshotInfo,
  m: number,
  paramsFinite: boolean,
  variance: Float32Array,
): string {
  const floor = info.train.architecture.varianceFloor;
  let minVar = Infinity;
  for (const v of variance) if (v < minVar) minVar = v;
  const what = !paramsFinite ? 'its parameters became NaN or infinite' : 'its loss became NaN or infinite';
  const why = minVar <= floor * 1.01 ? `; the variance had collapsed to the floor (${floor})` : '';
  return `${spec.loss} diverged at step ${info.steps[m]}: ${what}${why}. Lower the learning rate (now ${info.train.learningRate}) or reset this model.`;
}
