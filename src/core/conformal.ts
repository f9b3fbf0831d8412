// Split conformal prediction for regression (Vovk et al. 2005; Lei et al. 2018, Alg. 2; Angelopoulos & Bates 2023,
// sec. 2): scores on a calibration share the model never trained on, their ⌈(n + 1)(1 − α)⌉-th smallest as the
// multiplier q̂, and the band μ̂ ± q̂ (score |y − μ̂|) or μ̂ ± q̂·σ̂ (score |y − μ̂|/σ̂, the σ-normalised score of
// Papadopoulos et al. 2008). If the calibration and test points are exchangeable, a new target falls inside with
// probability at least 1 − α, whatever the model — marginally over x, not at each x. Float64, no tensors.
import { normalQuantile } from './distributions';

export const CONFORMAL_SCORES = ['abs', 'normalised'] as const;
/** 'abs': |y − μ̂| (a band of constant width); 'normalised': |y − μ̂|/σ̂ (the learned band, rescaled). */
export type ConformalScore = (typeof CONFORMAL_SCORES)[number];

/**
 * The finite-sample rank k = ⌈(n + 1)(1 − α)⌉ of q̂ among n calibration scores. When k > n no score is large
 * enough and the interval is the whole line. (n + 1)(1 − α) is rounded to 12 digits first, so that a level
 * such as 0.9 with n = 9 gives exactly 9, not 10 from 9.000000000000002.
 */
export function conformalRank(n: number, alpha: number): number {
  if (!(Number.isInteger(n) && n >= 0)) throw new Error(`invalid n for conformalRank; not a whole number ≥ 0: ${n}`);
  if (!(alpha > 0 && alpha < 1)) throw new Error(`invalid alpha for conformalRank; not in (0, 1): ${alpha}`);
  return Math.ceil(Number(((n + 1) * (1 - alpha)).toPrecision(12)));
}

/** The smallest n for which a level-(1 − α) interval is finite: ⌈(n + 1)(1 − α)⌉ ≤ n ⇔ n ≥ (1 − α)/α. */
export function minCalibrationSize(alpha: number): number {
  let n = Math.max(0, Math.ceil(Number(((1 - alpha) / alpha).toPrecision(12))) - 1);
  while (conformalRank(n, alpha) > n) n++;
  return n;
}

/** q̂: the k-th smallest of the scores (k = conformalRank), Infinity when k > n. Sorts a copy: O(n log n). */
export function conformalQuantile(scores: ArrayLike<number>, alpha: number): number {
  const n = scores.length;
  const k = conformalRank(n, alpha);
  if (k > n) return Infinity;
  const sorted = Float64Array.from(scores).sort();
  return sorted[k - 1];
}

/** The scores of n calibration points: |y − μ̂| or |y − μ̂|/σ̂. */
export function conformalScores(
  kind: ConformalScore,
  mu: ArrayLike<number>,
  sigma: ArrayLike<number>,
  y: ArrayLike<number>,
  out = new Float64Array(y.length),
): Float64Array {
  for (let i = 0; i < y.length; i++) {
    const r = Math.abs(y[i] - mu[i]);
    out[i] = kind === 'abs' ? r : r / sigma[i];
  }
  return out;
}

/** A model's split-conformal fit on its calibration share. */
export interface ConformalFit {
  score: ConformalScore;
  /** Nominal level 1 − α. */
  level: number;
  /** Calibration points. */
  n: number;
  /** The rank ⌈(n + 1)(1 − α)⌉ of q̂ among them; k > n means the interval is infinite. */
  k: number;
  /** The multiplier: in y's units (abs) or in σ̂'s (normalised); Infinity when k > n or a score was not finite. */
  q: number;
  /** The Gaussian's z for the same level, Φ⁻¹(1 − α/2): what the learned band would use (1.645 at 90 %). */
  z: number;
}

/** Fits q̂ on the calibration points at level 1 − α. A score that is not finite (σ̂ = 0, a diverged μ̂) sorts last. */
export function splitConformal(
  kind: ConformalScore,
  level: number,
  cal: { mu: ArrayLike<number>; sigma: ArrayLike<number>; y: ArrayLike<number> },
): ConformalFit {
  if (!(level > 0 && level < 1)) throw new Error(`invalid level for splitConformal; not in (0, 1): ${level}`);
  const alpha = 1 - level;
  const scores = conformalScores(kind, cal.mu, cal.sigma, cal.y);
  for (let i = 0; i < scores.length; i++) if (!(scores[i] >= 0)) scores[i] = Infinity;
  return {
    score: kind,
    level,
    n: scores.length,
    k: conformalRank(scores.length, alpha),
    q: conformalQuantile(scores, alpha),
    z: normalQuantile(1 - alpha / 2),
  };
}

/** The conformal band's half-width at a point with predicted σ̂. */
export function conformalHalfWidth(fit: ConformalFit, sigma: number): number {
  return fit.score === 'abs' ? fit.q : fit.q * sigma;
}

/** Share of targets inside μ̂ ± halfWidth(σ̂) (NaN with no targets). */
export function bandCoverage(
  halfWidth: (sigma: number) => number,
  set: { mu: ArrayLike<number>; sigma: ArrayLike<number>; y: ArrayLike<number> },
): number {
  const n = set.y.length;
  let inside = 0;
  for (let i = 0; i < n; i++) if (Math.abs(set.y[i] - set.mu[i]) <= halfWidth(set.sigma[i])) inside++;
  return n ? inside / n : NaN;
}

/** Mean width 2·halfWidth over the set's σ̂ (Infinity for an infinite band). */
export function meanBandWidth(halfWidth: (sigma: number) => number, sigma: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < sigma.length; i++) s += 2 * halfWidth(sigma[i]);
  return sigma.length ? s / sigma.length : NaN;
}

export interface CoverageAlongX {
  /** Bin edges along x (bins + 1 of them, equal widths over the range). */
  edges: number[];
  /** Targets in each bin. */
  counts: number[];
  /** Share inside the band per bin; NaN for an empty bin. */
  share: number[];
}

/**
 * Coverage in equal-width bins along x: the share of the targets of each bin inside μ̂ ± halfWidth(σ̂). Marginal
 * coverage (all bins pooled) can be right while every bin is wrong — a constant band on heteroscedastic noise
 * over-covers where the noise is small and under-covers where it is large.
 */
export function coverageAlongX(
  x: ArrayLike<number>,
  set: { mu: ArrayLike<number>; sigma: ArrayLike<number>; y: ArrayLike<number> },
  halfWidth: (sigma: number) => number,
  bins: number,
  range?: [number, number],
): CoverageAlongX {
  if (!(Number.isInteger(bins) && bins >= 1))
    throw new Error(`invalid bins for coverageAlongX; not a whole number ≥ 1: ${bins}`);
  let [lo, hi] = range ?? [Infinity, -Infinity];
  if (!range)
    for (let i = 0; i < x.length; i++) {
      lo = Math.min(lo, x[i]);
      hi = Math.max(hi, x[i]);
    }
  const width = hi > lo ? (hi - lo) / bins : 1;
  const counts = new Array<number>(bins).fill(0);
  const inside = new Array<number>(bins).fill(0);
  for (let i = 0; i < x.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor((x[i] - lo) / width)));
    counts[b]++;
    if (Math.abs(set.y[i] - set.mu[i]) <= halfWidth(set.sigma[i])) inside[b]++;
  }
  return {
    edges: Array.from({ length: bins + 1 }, (_, b) => lo + b * width),
    counts,
    share: counts.map((c, b) => (c ? inside[b] / c : NaN)),
  };
}
