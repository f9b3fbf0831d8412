// The fit metrics of a snapshot in float64, from μ and the variance head's output alone (no tensors):
// RMSE of μ to the truth, σ error, held-out NLL under the model's own predictive distribution.
import type { ModelSpec } from './config';
import type { Predictive } from './distributions';
import { BASE_LOSSES, parseLossId, studentTConstant } from './losses';

/**
 * What the variance head's output v means (distributions.ts): a Gaussian's variance σ², Student-t's scale² (its
 * variance is v·ν/(ν−2), finite for ν > 2 only), or nothing (mean-only losses never train it).
 */
export type { Predictive };

export function predictiveOf(spec: Pick<ModelSpec, 'loss' | 'nu'>): Predictive {
  const { base } = parseLossId(spec.loss);
  if (!BASE_LOSSES[base].predictsVariance) return { kind: 'none' };
  return base === 'student-t' ? { kind: 'student-t', nu: spec.nu } : { kind: 'gaussian' };
}

/**
 * The spread the ±2σ band draws: the predictive standard deviation where it exists; for Student-t with
 * ν ≤ 2 (infinite variance) the scale, and `isScale` says so.
 */
export function predictiveStd(v: number, p: Predictive): number {
  if (p.kind === 'student-t' && p.nu > 2) return Math.sqrt((v * p.nu) / (p.nu - 2));
  return Math.sqrt(v);
}

export function bandIsScale(p: Predictive): boolean {
  return p.kind === 'student-t' && !(p.nu > 2);
}

/** −log p(y) under the predictive (with every constant, so Gaussian and Student-t compare). */
export function predictiveNll(y: number, mu: number, v: number, p: Predictive): number {
  const r2 = (y - mu) ** 2;
  if (p.kind === 'student-t')
    return studentTConstant(p.nu) + 0.5 * Math.log(v) + ((p.nu + 1) / 2) * Math.log1p(r2 / (p.nu * v));
  return 0.5 * Math.log(2 * Math.PI * v) + r2 / (2 * v);
}

export interface FitInput {
  /** μ and v on the metric grid, with the truth there (null: no known truth, e.g. a CSV). */
  gridMu: ArrayLike<number>;
  gridV: ArrayLike<number>;
  truthMean: ArrayLike<number> | null;
  truthStd: ArrayLike<number> | null;
  /** μ and v at the clean held-out points, and their targets. */
  heldMu: ArrayLike<number>;
  heldV: ArrayLike<number>;
  heldY: ArrayLike<number>;
  predictive: Predictive;
}

export interface FitMetrics {
  /** RMSE of μ to the true mean over the metric grid. */
  rmse: number;
  /** Mean |σ − σ_true| over the grid (NaN without a finite predictive std). */
  sigmaError: number;
  /** Mean NLL on the clean held-out set (NaN for mean-only models or without held-out data). */
  nll: number;
}

export function fitMetrics(f: FitInput): FitMetrics {
  const out: FitMetrics = { rmse: NaN, sigmaError: NaN, nll: NaN };
  const n = f.gridMu.length;
  if (f.truthMean && f.truthStd && n > 0) {
    let se = 0;
    let ae = 0;
    for (let i = 0; i < n; i++) {
      se += (f.gridMu[i] - f.truthMean[i]) ** 2;
      ae += Math.abs(predictiveStd(f.gridV[i], f.predictive) - f.truthStd[i]);
    }
    out.rmse = Math.sqrt(se / n);
    if (f.predictive.kind !== 'none' && !bandIsScale(f.predictive)) out.sigmaError = ae / n;
  }
  const m = f.heldY.length;
  if (f.predictive.kind !== 'none' && m > 0) {
    let total = 0;
    for (let i = 0; i < m; i++) total += predictiveNll(f.heldY[i], f.heldMu[i], f.heldV[i], f.predictive);
    out.nll = total / m;
  }
  return out;
}

/** Share of the total weight that falls on injected outliers (NaN when the weights sum to 0). */
export function outlierWeightShare(weight: ArrayLike<number>, isOutlier: ArrayLike<number>): number {
  let onOutliers = 0;
  let all = 0;
  for (let i = 0; i < weight.length; i++) {
    all += weight[i];
    if (isOutlier[i]) onOutliers += weight[i];
  }
  return all > 0 ? onOutliers / all : NaN;
}
