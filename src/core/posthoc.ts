// Post-hoc uncertainty as practitioners use it (issue 26): a calibration share of the training data, held back from
// training, on which every model gets a split-conformal band (conformal.ts) and a recalibration (recalibrated.ts).
// This file holds the settings, the split, and each frame's per-model figures: q̂ beside the learned band's own
// multiplier, coverage of both bands on the held-out set (pooled and along x), and the conformal band on the grid.
// Float64; O(n log n) in the calibration share per model and frame.
import {
  bandCoverage,
  conformalHalfWidth,
  coverageAlongX,
  meanBandWidth,
  splitConformal,
  type ConformalFit,
  type ConformalScore,
  type CoverageAlongX,
} from './conformal';
import type { Points } from './datasets';
import { studentTQuantile, type Predictive } from './distributions';
import type { Recalibration } from './recalibrated';
import { STREAM } from './rng';
import { pickPoints, splitIndices } from './split';

export interface PosthocSettings {
  /** Share of the training data held back for calibration, [0.1, 0.5]: never trained on. */
  share: number;
  /** Seed of the calibration split (its own stream: not the held-out share's). */
  seed: number;
  /** Nominal level 1 − α of the conformal band and the coverage along x, [0.5, 0.99]. */
  level: number;
  /** Conformal score: |y − μ̂| or |y − μ̂|/σ̂. */
  score: ConformalScore;
  /** The recalibration fitted on the share, whose metrics sit beside the model's own ("after"). */
  recalibration: Recalibration;
  /** 'clean': the oracle drops the share's injected outliers; 'contaminated': the share is as the training data are. */
  calibration: 'clean' | 'contaminated';
}

/** The defaults the Post-hoc card turns on with: 20 % of the data, 90 %, σ-normalised, σ scaling. */
export const DEFAULT_POSTHOC: PosthocSettings = {
  share: 0.2,
  seed: 1,
  level: 0.9,
  score: 'normalised',
  recalibration: 'scale',
  calibration: 'contaminated',
};

/** Bins of the coverage along x: 10 bins of 40 points on the 400-point clean held-out set. */
export const COVERAGE_BINS = 10;

/**
 * The points that train, with the calibration share moved to `calibration` (x, y and outlier flags): a seeded,
 * exact-size choice (split.ts's keys on the calibration stream). 'clean' drops the share's flagged outliers (an
 * oracle only generated data and flagged files allow); either way the training points are the same.
 */
export function calibrationSplit(points: Points, posthoc: PosthocSettings | undefined): Points {
  if (!posthoc || !(posthoc.share > 0)) return points;
  const { train, held } = splitIndices(points.x.length, posthoc.share, posthoc.seed, STREAM.calibration);
  if (held.length === 0) return points;
  let cal = pickPoints(points, held);
  if (posthoc.calibration === 'clean')
    cal = pickPoints(
      cal,
      Array.from(cal.isOutlier.keys()).filter((i) => !cal.isOutlier[i]),
    );
  return { ...pickPoints(points, train), heldOut: points.heldOut, calibration: cal };
}

/** A model's predictive location and spread at n points: σ (Gaussian, mixture: total), the scale (Student-t). */
export interface Spread {
  mu: ArrayLike<number>;
  sigma: ArrayLike<number>;
}

/** The learned band's own multiplier at level 1 − α: z = Φ⁻¹(1 − α/2), or the Student-t quantile on its scale. */
export function learnedMultiplier(predictive: Predictive, level: number, z: number): number {
  return predictive.kind === 'student-t' ? studentTQuantile(0.5 + level / 2, predictive.nu) : z;
}

export interface PosthocBlock {
  conformal: ConformalFit;
  /** The learned band's multiplier at the same level (z, or the Student-t quantile): what q̂ replaces. */
  learned: number;
  /** Held-out share inside the learned central band and inside the conformal band (NaN without a held-out set). */
  coverage: { learned: number; conformal: number; n: number };
  /** Mean widths of both bands on the held-out set. */
  width: { learned: number; conformal: number };
  /** Coverage along x on the held-out set, both bands. */
  alongX: { learned: CoverageAlongX; conformal: CoverageAlongX };
  /** The conformal band's half-width on the view grid (Infinity where the guard says the band is infinite). */
  gridHalfWidth: Float32Array;
}

/** One model's post-hoc figures of a frame: fitted on `cal`, judged on `held` (x for the bins), drawn on the grid's σ. */
export function posthocBlock(
  settings: PosthocSettings,
  predictive: Predictive,
  cal: Spread & { y: ArrayLike<number> },
  held: Spread & { x: ArrayLike<number>; y: ArrayLike<number> },
  gridSigma: ArrayLike<number>,
  range: [number, number],
): PosthocBlock | null {
  if (predictive.kind === 'none') return null;
  const conformal = splitConformal(settings.score, settings.level, cal);
  const learned = learnedMultiplier(predictive, settings.level, conformal.z);
  const learnedHalf = (s: number) => learned * s;
  const conformalHalf = (s: number) => conformalHalfWidth(conformal, s);
  const heldSet = { mu: held.mu, sigma: held.sigma, y: held.y };
  return {
    conformal,
    learned,
    coverage: {
      learned: bandCoverage(learnedHalf, heldSet),
      conformal: bandCoverage(conformalHalf, heldSet),
      n: held.y.length,
    },
    width: { learned: meanBandWidth(learnedHalf, held.sigma), conformal: meanBandWidth(conformalHalf, held.sigma) },
    alongX: {
      learned: coverageAlongX(held.x, heldSet, learnedHalf, COVERAGE_BINS, range),
      conformal: coverageAlongX(held.x, heldSet, conformalHalf, COVERAGE_BINS, range),
    },
    gridHalfWidth: Float32Array.from(gridSigma, conformalHalf),
  };
}

/** The largest |share − level| over the bins holding at least `minCount` targets: how wrong a band is somewhere along x. */
export function worstBinGap(c: CoverageAlongX, level: number, minCount = 5): number {
  let gap = NaN;
  c.share.forEach((s, b) => {
    // Rounded to 1e-12: a share and a level given in decimals differ by a float's rounding, not a real amount
    // (a bin covered 100 % at 90 % is 0.1 off, not 0.09999999999999998, which a bound of 0.1 would refuse).
    const d = Math.round(Math.abs(s - level) * 1e12) / 1e12;
    if (c.counts[b] >= minCount) gap = Number.isNaN(gap) ? d : Math.max(gap, d);
  });
  return gap;
}

/** The block's scalars by name, for claims and the run file: "posthoc.q", "posthoc.coverageConformal", … */
export function flattenPosthoc(block: PosthocBlock | null | undefined): Record<string, number> {
  if (!block) return {};
  const level = block.conformal.level;
  return {
    'posthoc.q': block.conformal.q,
    'posthoc.learned': block.learned,
    'posthoc.qOverLearned': block.conformal.q / block.learned,
    'posthoc.coverageLearned': block.coverage.learned,
    'posthoc.coverageConformal': block.coverage.conformal,
    'posthoc.widthLearned': block.width.learned,
    'posthoc.widthConformal': block.width.conformal,
    'posthoc.xGapLearned': worstBinGap(block.alongX.learned, level),
    'posthoc.xGapConformal': worstBinGap(block.alongX.conformal, level),
  };
}
