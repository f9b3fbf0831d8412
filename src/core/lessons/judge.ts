// The pure half of a lesson's claim: its conditions as data and their judge on a model's figures. No training
// here (claims.ts runs a claim headless), so the page judges the same conditions on its live snapshots.
import type { Snapshot } from '../evaluator';
import { flattenPosthoc } from '../posthoc';
import { flattenUncertainty } from '../uncertainty';
import type { ModelCalibration } from './record';

type JudgedSet = 'heldOut' | 'inliers' | 'outliers';
type JudgedScalar =
  | 'coverage1'
  | 'coverage2'
  | 'coverage3'
  | 'coverage95'
  | 'miscalibrationArea'
  | 'rmsCalibrationError'
  | 'sharpness'
  | 'crps'
  | 'intervalScore95'
  | 'nll'
  | 'dss';
/** Post-hoc figures (posthoc.ts flattenPosthoc). */
type PosthocScalar =
  | 'q'
  | 'learned'
  | 'qOverLearned'
  | 'coverageLearned'
  | 'coverageConformal'
  | 'widthLearned'
  | 'widthConformal'
  | 'xGapLearned'
  | 'xGapConformal';

/**
 * Metrics of a model that a claim may bound: the fit metrics (ModelSnapshot.metrics), the uncertainty metrics of a
 * judged set ("heldOut.coverage2", uncertainty.ts's flattened names), for an ensemble `epistemicRatio`: its
 * members' mean disagreement √(var μ) beyond the training inputs over that within them (where it does not know),
 * and `minGradWeight`, the smallest gradient weight over the training points (B·αⱼ of eq. 7 for eq. 6: negative
 * where a point is pushed away).
 */
export type ClaimMetric =
  | 'rmse'
  | 'sigmaError'
  | 'nll'
  | 'epistemicRatio'
  | 'minGradWeight'
  | 'medianAbsResidual'
  | `${JudgedSet}.${JudgedScalar}`
  | `recalibrated.${JudgedSet}.${JudgedScalar}`
  | `posthoc.${PosthocScalar}`;
export type ClaimMetrics = Record<'rmse' | 'sigmaError' | 'nll', number> & Partial<Record<ClaimMetric, number>>;

/** An ensemble's mean epistemic std on the grid beyond [min x, max x] over its mean within; NaN for a plain model. */
export function epistemicRatio(snapshot: Snapshot, id: string, xs: ArrayLike<number>): number {
  const e = snapshot.models.find((m) => m.id === id)?.ensemble;
  if (!e) return NaN;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < xs.length; i++) {
    lo = Math.min(lo, xs[i]);
    hi = Math.max(hi, xs[i]);
  }
  const sums = { in: 0, inN: 0, out: 0, outN: 0 };
  snapshot.grid.forEach((x, i) => {
    if (x >= lo && x <= hi) {
      sums.in += e.epistemic[i];
      sums.inN++;
    } else {
      sums.out += e.epistemic[i];
      sums.outN++;
    }
  });
  return sums.inN && sums.outN ? sums.out / sums.outN / (sums.in / sums.inN) : NaN;
}

/**
 * The median |y − μ(x)| over the training points, μ read off the snapshot's grid by linear interpolation (exact for a
 * linear model): how far the fit sits from most of the data, with no truth needed (a real data set's lesson).
 */
export function medianAbsResidual(
  snapshot: Snapshot,
  id: string,
  xs: ArrayLike<number>,
  ys: ArrayLike<number>,
): number {
  const m = snapshot.models.find((x) => x.id === id);
  const g = snapshot.grid;
  if (!m || m.mu.length !== g.length || xs.length === 0) return NaN;
  const r = Array.from(xs, (x, i) => {
    let j = 1;
    while (j < g.length - 1 && g[j] < x) j++;
    const t = (x - g[j - 1]) / (g[j] - g[j - 1]);
    return Math.abs(ys[i] - (m.mu[j - 1] + t * (m.mu[j] - m.mu[j - 1])));
  }).sort((a, b) => a - b);
  const h = r.length >> 1;
  return r.length % 2 ? r[h] : (r[h - 1] + r[h]) / 2;
}

/** Every model's figures a claim may bound, by id: what runClaim judges at the end and the page's progress line live
 * (the training points' targets `ys` for medianAbsResidual; NaN without them). */
export function claimMetricsOf(
  snapshot: Snapshot,
  xs: ArrayLike<number>,
  ys?: ArrayLike<number>,
): Record<string, ClaimMetrics> {
  const metrics: Record<string, ClaimMetrics> = {};
  for (const m of snapshot.models) {
    let minGradWeight = Infinity;
    for (const g of m.gradWeight) minGradWeight = Math.min(minGradWeight, g);
    metrics[m.id] = {
      rmse: m.metrics.rmse,
      sigmaError: m.metrics.sigmaError,
      nll: m.metrics.nll,
      ...flattenUncertainty(m.uncertainty),
      ...flattenPosthoc(m.posthoc),
      epistemicRatio: epistemicRatio(snapshot, m.id, xs),
      minGradWeight: m.gradWeight.length ? minGradWeight : NaN,
      medianAbsResidual: ys ? medianAbsResidual(snapshot, m.id, xs, ys) : NaN,
    };
  }
  return metrics;
}

/**
 * One condition: a model's metric within [min, max], or one model's metric at most `factor` × another's.
 * `onlySeed`: judged only on that seed (0 = the lesson as written), for what one particular trajectory shows;
 * on other seeds it is reported and skipped.
 */
export type Condition =
  | { kind: 'bound'; id: string; metric: ClaimMetric; min?: number; max?: number; onlySeed?: number }
  | { kind: 'below'; id: string; than: string; metric: ClaimMetric; factor?: number; onlySeed?: number }
  /**
   * A sweep's two grids (src/core/sweep.ts), cell by cell: the share of pairs [a, b] where a's metric is at most
   * `factor` × b's (a finite a beats a non-finite b: b diverged) must be at least `min`. `id` names the claim.
   */
  | {
      kind: 'share';
      id: string;
      pairs: [string, string][];
      metric: ClaimMetric;
      factor?: number;
      min: number;
      onlySeed?: number;
    }
  /** The median of the metric over `ids` (finite cells) at most `factor` × the median over `than`. */
  | {
      kind: 'median';
      id: string;
      ids: string[];
      than: string[];
      metric: ClaimMetric;
      factor?: number;
      onlySeed?: number;
    };

export interface LessonClaim {
  /** The claim in words, as the lesson's text makes it. */
  statement: string;
  /** Training steps (from the lesson's start, warm-up included) after which the conditions must hold. */
  steps: number;
  conditions: Condition[];
}

export interface ConditionResult {
  condition: Condition;
  /** The figures it was judged on: the model's value (and the other model's for 'below'). */
  value: number;
  other?: number;
  holds: boolean;
  /** Not judged on this seed (onlySeed); `holds` is then true. */
  skipped?: boolean;
  /** e.g. "m1 rmse 0.021 ≤ 0.05". */
  text: string;
}

export interface ClaimResult {
  statement: string;
  steps: number;
  seed: number;
  holds: boolean;
  conditions: ConditionResult[];
  /** Every model's metrics at the end, by id. */
  metrics: Record<string, ClaimMetrics>;
  /** Every model's PIT histogram and calibration curve at the end (record.ts); absent in older results. */
  calibration?: ModelCalibration[];
}

const f3 = (v: number) =>
  Number.isFinite(v) ? (Math.abs(v) >= 1e-3 && Math.abs(v) < 1e4 ? v.toFixed(3) : v.toExponential(2)) : String(v);

/** Judges the conditions on metrics by model id (on `seed`). A missing model or a non-finite value fails its condition. */
export function evaluateClaim(
  conditions: Condition[],
  metrics: Record<string, Partial<Record<ClaimMetric, number>>>,
  seed = 0,
): ConditionResult[] {
  return conditions.map((c) => {
    const judged = judge(c, metrics);
    return c.onlySeed === undefined || c.onlySeed === seed
      ? judged
      : { ...judged, holds: true, skipped: true, text: `(seed ${c.onlySeed} only) ${judged.text}` };
  });
}

function median(values: number[]): number {
  const v = values.filter(Number.isFinite).sort((a, b) => a - b);
  const h = v.length >> 1;
  return v.length === 0 ? NaN : v.length % 2 ? v[h] : (v[h - 1] + v[h]) / 2;
}

function judge(c: Condition, metrics: Record<string, Partial<Record<ClaimMetric, number>>>): ConditionResult {
  const of = (id: string) => metrics[id]?.[c.metric] ?? NaN;
  const factor = 'factor' in c ? (c.factor ?? 1) : 1;
  const times = factor === 1 ? '' : `${factor} × `;
  if (c.kind === 'share') {
    const wins = c.pairs.filter(
      ([a, b]) => Number.isFinite(of(a)) && (!Number.isFinite(of(b)) || of(a) <= factor * of(b)),
    ).length;
    const value = c.pairs.length ? wins / c.pairs.length : NaN;
    return {
      condition: c,
      value,
      holds: Number.isFinite(value) && value >= c.min,
      text: `${c.id}: ${c.metric} ≤ ${times}its pair in ${wins} of ${c.pairs.length} cells (${f3(value)} ≥ ${c.min})`,
    };
  }
  if (c.kind === 'median') {
    const value = median(c.ids.map(of));
    const other = median(c.than.map(of));
    const holds = Number.isFinite(value) && Number.isFinite(other) && value <= factor * other;
    return {
      condition: c,
      value,
      other,
      holds,
      text: `${c.id}: median ${c.metric} ${f3(value)} ≤ ${times}the other grid's ${f3(other)}`,
    };
  }
  const value = of(c.id);
  if (c.kind === 'bound') {
    const holds =
      Number.isFinite(value) && (c.min === undefined || value >= c.min) && (c.max === undefined || value <= c.max);
    const range = [c.min !== undefined ? `≥ ${c.min}` : '', c.max !== undefined ? `≤ ${c.max}` : '']
      .filter(Boolean)
      .join(' and ');
    return { condition: c, value, holds, text: `${c.id} ${c.metric} ${f3(value)} ${range}` };
  }
  const other = of(c.than);
  const holds = Number.isFinite(value) && Number.isFinite(other) && value <= factor * other;
  return {
    condition: c,
    value,
    other,
    holds,
    text: `${c.id} ${c.metric} ${f3(value)} ≤ ${factor === 1 ? '' : `${factor} × `}${c.than}'s ${f3(other)}`,
  };
}
