// How the uncertainty community judges a predicted σ without knowing the true one (issue 14): calibration.ts's
// metrics of a model's own predictive distribution on the clean held-out set, the training inliers and the
// injected outliers, from μ and the variance head's output v already read for the snapshot (float64, no tensors).
import { uncertaintyMetrics, type Prediction, type UncertaintyMetrics } from './calibration';
import { fitRecalibration, recalibratedMetrics, type Recalibration, type Recalibrator } from './recalibrated';
import type { Predictive } from './metrics';

export type UncertaintySet = 'heldOut' | 'inliers' | 'outliers';
export const UNCERTAINTY_SETS: readonly UncertaintySet[] = ['heldOut', 'inliers', 'outliers'];

/**
 * A model's metrics per set; a set is null when it is empty (no truth: no held-out set) or its μ, v are not
 * finite. `step` is the model's step they were computed at (the judge refreshes models in turn, see below).
 */
export type UncertaintyBlock = Record<UncertaintySet, UncertaintyMetrics | null> & {
  step: number;
  /**
   * The same sets after a recalibration fitted on the calibration share (posthoc.ts; absent when none is chosen):
   * the σ scale it found (1 for isotonic), and null where the share or the set gave nothing finite.
   */
  recalibrated?: Record<UncertaintySet, UncertaintyMetrics | null> & {
    kind: Exclude<Recalibration, 'none'>;
    scale: number;
  };
};

/**
 * Calibration levels: 99 (p = 0.01, …, 0.99) costs nothing next to the per-point CDFs, quantiles and CRPS
 * once the PITs are sorted, so the curve keeps calibration.ts's default resolution.
 */
export const CALIBRATION_LEVELS = 99;

/** The predictive distribution v stands for: σ² for a Gaussian, scale² for a Student-t; null for mean-only models. */
export function predictionOf(predictive: Predictive, mu: ArrayLike<number>, v: ArrayLike<number>): Prediction | null {
  if (predictive.kind === 'none') return null;
  const spread = Float64Array.from(v, Math.sqrt);
  const m = Float64Array.from(mu);
  return predictive.kind === 'student-t'
    ? { kind: 'student-t', mu: m, scale: spread, nu: predictive.nu }
    : { kind: 'gaussian', mu: m, sigma: spread };
}

/** One set's metrics, or null when it is empty or the model's outputs there are not finite (a diverged model). */
export function setMetrics(
  predictive: Predictive,
  mu: ArrayLike<number>,
  v: ArrayLike<number>,
  y: ArrayLike<number>,
): UncertaintyMetrics | null {
  if (y.length === 0) return null;
  for (let i = 0; i < y.length; i++) if (!(Number.isFinite(mu[i]) && v[i] > 0 && v[i] < Infinity)) return null;
  const pred = predictionOf(predictive, mu, v);
  if (!pred) return null;
  return uncertaintyMetrics(pred, y, { levels: CALIBRATION_LEVELS });
}

export interface UncertaintyInput {
  predictive: Predictive;
  /** μ, v and targets at the held-out points (the clean set, or your own data's held-out share; may be empty). */
  held: { mu: ArrayLike<number>; v: ArrayLike<number>; y: ArrayLike<number> };
  /** μ, v and targets at the training points, with their outlier flags. */
  train: { mu: ArrayLike<number>; v: ArrayLike<number>; y: ArrayLike<number>; isOutlier: ArrayLike<number> };
  /** The calibration share a recalibration is fitted on (posthoc.ts), when one is chosen. */
  recal?: { kind: Exclude<Recalibration, 'none'>; mu: ArrayLike<number>; v: ArrayLike<number>; y: ArrayLike<number> };
}

/**
 * A deep ensemble's input: every member's μ and predictive standard deviation at the same points, judged as
 * the uniform Gaussian mixture (ensemble.ts). A Student-t member enters as the Gaussian of its own standard
 * deviation (infinite for ν ≤ 2: that set is then null); mean-only members predict no distribution.
 */
export interface EnsembleInput {
  predictive: Predictive;
  members: number;
  held: { mus: ArrayLike<number>[]; sigmas: ArrayLike<number>[]; y: ArrayLike<number> };
  train: { mus: ArrayLike<number>[]; sigmas: ArrayLike<number>[]; y: ArrayLike<number>; isOutlier: ArrayLike<number> };
  recal?: {
    kind: Exclude<Recalibration, 'none'>;
    mus: ArrayLike<number>[];
    sigmas: ArrayLike<number>[];
    y: ArrayLike<number>;
  };
}

export type JudgeInput = UncertaintyInput | EnsembleInput;
const isEnsemble = (u: JudgeInput): u is EnsembleInput => 'members' in u;

/** Indices of the training points that are (or are not) outliers. */
function indicesWhere(isOutlier: ArrayLike<number>, outlier: boolean): number[] {
  const idx: number[] = [];
  for (let i = 0; i < isOutlier.length; i++) if (Boolean(isOutlier[i]) === outlier) idx.push(i);
  return idx;
}

/** One set's metrics of the members' mixture, or null when empty or a member's μ or σ there is not finite. */
export function mixtureSetMetrics(
  mus: ArrayLike<number>[],
  sigmas: ArrayLike<number>[],
  y: ArrayLike<number>,
): UncertaintyMetrics | null {
  if (y.length === 0 || mus.length === 0) return null;
  for (let m = 0; m < mus.length; m++)
    for (let i = 0; i < y.length; i++)
      if (!(Number.isFinite(mus[m][i]) && sigmas[m][i] > 0 && sigmas[m][i] < Infinity)) return null;
  return uncertaintyMetrics(
    { kind: 'mixture', mus: mus.map((a) => Float64Array.from(a)), sigmas: sigmas.map((a) => Float64Array.from(a)) },
    y,
    { levels: CALIBRATION_LEVELS },
  );
}

/** One model's prediction at n points, or null when a μ or v there is not finite (or the model predicts no σ). */
function singlePrediction(
  predictive: Predictive,
  mu: ArrayLike<number>,
  v: ArrayLike<number>,
  n: number,
): Prediction | null {
  for (let i = 0; i < n; i++) if (!(Number.isFinite(mu[i]) && v[i] > 0 && v[i] < Infinity)) return null;
  return predictionOf(predictive, mu, v);
}

/** The members' mixture at n points, or null when a member's μ or σ there is not finite. */
function mixturePrediction(mus: ArrayLike<number>[], sigmas: ArrayLike<number>[], n: number): Prediction | null {
  if (mus.length === 0) return null;
  for (let m = 0; m < mus.length; m++)
    for (let i = 0; i < n; i++)
      if (!(Number.isFinite(mus[m][i]) && sigmas[m][i] > 0 && sigmas[m][i] < Infinity)) return null;
  return {
    kind: 'mixture',
    mus: mus.map((a) => Float64Array.from(a)),
    sigmas: sigmas.map((a) => Float64Array.from(a)),
  };
}

/** The whole block, or null for a mean-only model (no predictive distribution to judge). */
export function uncertaintyBlock(u: JudgeInput, step = 0): UncertaintyBlock | null {
  if (u.predictive.kind === 'none') return null;
  const pick = (a: ArrayLike<number>, idx: number[]) => idx.map((i) => a[i]);
  const sets: Record<UncertaintySet, { prediction: Prediction | null; y: ArrayLike<number> }> = isEnsemble(u)
    ? (() => {
        const { mus, sigmas, y, isOutlier } = u.train;
        const part = (outlier: boolean) => {
          const idx = indicesWhere(isOutlier, outlier);
          return {
            prediction: idx.length
              ? mixturePrediction(
                  mus.map((a) => pick(a, idx)),
                  sigmas.map((a) => pick(a, idx)),
                  idx.length,
                )
              : null,
            y: pick(y, idx),
          };
        };
        return {
          heldOut: {
            prediction: u.held.y.length ? mixturePrediction(u.held.mus, u.held.sigmas, u.held.y.length) : null,
            y: u.held.y,
          },
          inliers: part(false),
          outliers: part(true),
        };
      })()
    : (() => {
        const { mu, v, y, isOutlier } = u.train;
        const part = (outlier: boolean) => {
          const idx = indicesWhere(isOutlier, outlier);
          return {
            prediction: idx.length ? singlePrediction(u.predictive, pick(mu, idx), pick(v, idx), idx.length) : null,
            y: pick(y, idx),
          };
        };
        return {
          heldOut: {
            prediction: u.held.y.length ? singlePrediction(u.predictive, u.held.mu, u.held.v, u.held.y.length) : null,
            y: u.held.y,
          },
          inliers: part(false),
          outliers: part(true),
        };
      })();
  const metricsOf = (f: (p: Prediction, y: ArrayLike<number>) => UncertaintyMetrics) => {
    const out = {} as Record<UncertaintySet, UncertaintyMetrics | null>;
    for (const s of UNCERTAINTY_SETS)
      out[s] = sets[s].prediction && sets[s].y.length ? f(sets[s].prediction, sets[s].y) : null;
    return out;
  };
  const block: UncertaintyBlock = {
    step,
    ...metricsOf((p, y) => uncertaintyMetrics(p, y, { levels: CALIBRATION_LEVELS })),
  };
  const r = u.recal;
  if (r && r.y.length) {
    const n = r.y.length;
    const cal = 'mus' in r ? mixturePrediction(r.mus, r.sigmas, n) : singlePrediction(u.predictive, r.mu, r.v, n);
    const fitted: Recalibrator | null = cal ? fitRecalibration(r.kind, cal, r.y) : null;
    const none = { heldOut: null, inliers: null, outliers: null };
    block.recalibrated = {
      kind: r.kind,
      scale: fitted?.kind === 'scale' ? fitted.scale : 1,
      ...(fitted ? metricsOf((p, y) => recalibratedMetrics(fitted, p, y, CALIBRATION_LEVELS)) : none),
    };
  }
  return block;
}

/**
 * Targets judged per snapshot. calibration.ts costs about 5–10 µs a target (a CDF, four quantiles, CRPS and NLL
 * each), so K = 8 models with 400 held-out and 1000 training targets would add ~100 ms to every frame of a
 * ~140 ms tick. Past this budget the judge refreshes the models in turn and the others keep their last block.
 * An ensemble's target costs about M times a single model's (its mixture CDF, quantiles and CRPS sum over M
 * members; the CRPS over M² pairs): it is counted so, and waits until enough budget has built up.
 */
export const JUDGE_BUDGET = 1500;

export interface JudgeRequest {
  id: string;
  /** The model's own step count, recorded in its block. */
  step: number;
  input: JudgeInput;
}

/** What judging a request costs, in single-model targets. */
export function judgeCost(r: JudgeRequest): number {
  const u = r.input;
  const targets = u.held.y.length + u.train.y.length;
  // A recalibration judges every set twice; isotonic's CRPS and moments take CRPS_LEVELS quantiles a target.
  const recal = u.recal ? (u.recal.kind === 'isotonic' ? RECAL_COST.isotonic : RECAL_COST.scale) : 0;
  return (isEnsemble(u) ? targets * u.members : targets) * (1 + recal);
}

/**
 * What a recalibration adds per target, in plain targets: measured on one Gaussian model with 200 calibration,
 * 400 held-out and 800 training targets (Node, 2 cores at load 17), 1.5 ms plain, 3.8 ms with σ scaling, 13.9 ms
 * isotonic (its CRPS and moments take CRPS_LEVELS quantiles a target). Counted so, the judge's per-frame work stays
 * within JUDGE_BUDGET plain targets: a recalibrated model is refreshed less often, no frame takes longer.
 */
export const RECAL_COST = { scale: 2, isotonic: 8 } as const;

/**
 * Computes the uncertainty blocks of a snapshot's models, keeping each model's last block otherwise. Each call
 * adds JUDGE_BUDGET targets of credit (up to the dearest model's cost) and refreshes models in turn while the
 * credit covers them: one model a call when every model costs at most the budget, an ensemble dearer than the
 * budget every few calls. A model seen for the first time, or whose predictive distribution changed (loss, ν,
 * members), is judged at once. Deterministic: it counts targets, not time.
 */
export class UncertaintyJudge {
  private readonly last = new Map<string, { key: string; block: UncertaintyBlock | null }>();
  private next = 0;
  private credit = 0;

  judge(models: readonly JudgeRequest[]): (UncertaintyBlock | null)[] {
    const keyOf = (r: JudgeRequest) =>
      JSON.stringify([r.input.predictive, isEnsemble(r.input) ? r.input.members : 1, r.input.recal?.kind ?? 'none']);
    this.credit = Math.min(this.credit + JUDGE_BUDGET, Math.max(JUDGE_BUDGET, ...models.map(judgeCost)));
    const fresh = new Set<number>();
    models.forEach((r, k) => {
      const seen = this.last.get(r.id);
      if (seen && seen.key === keyOf(r)) return;
      fresh.add(k);
      this.credit -= judgeCost(r);
    });
    this.credit = Math.max(0, this.credit);
    for (let tried = 0; tried < models.length; tried++) {
      const k = (this.next + tried) % models.length;
      if (fresh.has(k)) continue;
      if (judgeCost(models[k]) > this.credit) break;
      fresh.add(k);
      this.credit -= judgeCost(models[k]);
      this.next = (k + 1) % models.length;
    }
    const ids = new Set(models.map((r) => r.id));
    for (const id of this.last.keys()) if (!ids.has(id)) this.last.delete(id);
    return models.map((r, k) => {
      if (fresh.has(k)) this.last.set(r.id, { key: keyOf(r), block: uncertaintyBlock(r.input, r.step) });
      return this.last.get(r.id)!.block;
    });
  }
}

/** The set a model is judged on: the held-out set where there is one (clean, or your own data's held-out share), else the training inliers. */
export function judgedSet(block: UncertaintyBlock | null): { set: UncertaintySet; metrics: UncertaintyMetrics } | null {
  if (!block) return null;
  if (block.heldOut) return { set: 'heldOut', metrics: block.heldOut };
  if (block.inliers) return { set: 'inliers', metrics: block.inliers };
  return null;
}

/** The scalar metrics of one set, by name (coverage as coverage1, coverage2, coverage3). */
export function scalarMetrics(m: UncertaintyMetrics): Record<string, number> {
  const out: Record<string, number> = { n: m.n };
  for (const c of m.coverage) out[`coverage${c.k}`] = c.observed;
  Object.assign(out, {
    coverage95: m.coverage95,
    miscalibrationArea: m.miscalibrationArea,
    rmsCalibrationError: m.rmsCalibrationError,
    sharpness: m.sharpness,
    meanHalfWidth68: m.meanHalfWidth68,
    crps: m.crps,
    intervalScore95: m.intervalScore95,
    nll: m.nll,
    dss: m.dss,
  });
  if (m.ensemble)
    Object.assign(out, { meanAleatoric: m.ensemble.meanAleatoric, meanEpistemic: m.ensemble.meanEpistemic });
  return out;
}

/**
 * The block's scalars flattened for the run file's per-model metrics: "heldOut.crps", "outliers.coverage2", …, and
 * after a recalibration "recalibrated.heldOut.crps", … and "recalibrated.scale"; a missing set has no keys.
 */
export function flattenUncertainty(block: UncertaintyBlock | null): Record<string, number> {
  const out: Record<string, number> = {};
  for (const set of UNCERTAINTY_SETS) {
    const m = block?.[set];
    if (m) for (const [k, v] of Object.entries(scalarMetrics(m))) out[`${set}.${k}`] = v;
    const r = block?.recalibrated?.[set];
    if (r) for (const [k, v] of Object.entries(scalarMetrics(r))) out[`recalibrated.${set}.${k}`] = v;
  }
  if (block?.recalibrated) out['recalibrated.scale'] = block.recalibrated.scale;
  return out;
}
