// A prediction after post-hoc recalibration (recalibration.ts), judged by calibration.ts's metrics: fitted on a
// model's calibration share, applied to any set (held-out, training inliers, outliers). Float64, no tensors.
import { kernelMetrics, kernelOf, type Kernel, type Prediction, type UncertaintyMetrics } from './calibration';
import { normalQuantile, studentTQuantile } from './distributions';
import { fitPitMap, gaussianSigmaScale, minimiseScale, type PitMap } from './recalibration';

export const RECALIBRATIONS = ['none', 'scale', 'isotonic'] as const;
/** 'scale': one global σ scale minimising the calibration NLL; 'isotonic': Kuleshov et al.'s map of the PIT. */
export type Recalibration = (typeof RECALIBRATIONS)[number];

/** The same prediction with every spread (σ, Student-t scale, each member's σ) multiplied by s. */
export function scaledPrediction(pred: Prediction, s: number): Prediction {
  const times = (a: ArrayLike<number>) => Float64Array.from(a, (v) => v * s);
  if (pred.kind === 'gaussian') return { kind: 'gaussian', mu: pred.mu, sigma: times(pred.sigma) };
  if (pred.kind === 'student-t') return { kind: 'student-t', mu: pred.mu, scale: times(pred.scale), nu: pred.nu };
  return { kind: 'mixture', mus: pred.mus, sigmas: pred.sigmas.map(times) };
}

/** The NLL-minimising σ scale on calibration targets y: closed form for a Gaussian, a 1-D search otherwise. */
export function fitSigmaScale(pred: Prediction, y: ArrayLike<number>): number {
  const n = y.length;
  if (n === 0) return 1;
  if (pred.kind === 'gaussian')
    return gaussianSigmaScale(Float64Array.from({ length: n }, (_, i) => (y[i] - pred.mu[i]) / pred.sigma[i]));
  const meanNll = (s: number) => {
    const k = kernelOf(scaledPrediction(pred, s), n);
    let sum = 0;
    for (let i = 0; i < n; i++) sum += k.nll(i, y[i]);
    return sum / n;
  };
  return minimiseScale(meanNll, 60);
}

/** Quantile levels of the CRPS's quantile form: midpoints of L equal slices of (0, 1). */
export const CRPS_LEVELS = 200;

/**
 * The recalibrated kernel G = R∘F: CDF R(F(y)), quantiles F⁻¹(R⁻¹(p)), density R'(F(y))·f(y), and CRPS from
 * its quantile form CRPS = 2∫₀¹ (1{y < G⁻¹(u)} − u)(G⁻¹(u) − y) du (Laio & Tamea 2007) at CRPS_LEVELS midpoints;
 * mean and standard deviation from the same quantiles. The PIT map is global, so a Gaussian or Student-t needs
 * one standard quantile per level for every input; a mixture solves each of its quantiles.
 */
export function isotonicKernel(pred: Prediction, map: PitMap, n: number): Kernel {
  const base = kernelOf(pred, n);
  const L = CRPS_LEVELS;
  const levels = Float64Array.from({ length: L }, (_, j) => map.inverse((j + 0.5) / L));
  const std =
    pred.kind === 'gaussian'
      ? levels.map(normalQuantile)
      : pred.kind === 'student-t'
        ? levels.map((p) => studentTQuantile(p, pred.nu))
        : null;
  const spread = pred.kind === 'gaussian' ? pred.sigma : pred.kind === 'student-t' ? pred.scale : null;
  const loc = pred.kind === 'mixture' ? null : pred.mu;
  // The quantile row of the input last asked for: kernelMetrics asks for one input's CRPS, mean and std in turn.
  const row = new Float64Array(L);
  let rowOf = -1;
  const quantiles = (i: number) => {
    if (rowOf !== i) {
      for (let j = 0; j < L; j++)
        row[j] = std && spread && loc ? loc[i] + spread[i] * std[j] : base.quantile(i, levels[j]);
      rowOf = i;
    }
    return row;
  };
  const moments = (i: number) => {
    const q = quantiles(i);
    let s = 0;
    let sq = 0;
    for (let j = 0; j < L; j++) {
      s += q[j];
      sq += q[j] * q[j];
    }
    const m = s / L;
    return { m, v: Math.max(0, sq / L - m * m) };
  };
  return {
    n,
    mean: (i) => moments(i).m,
    cdf: (i, y) => map.apply(base.cdf(i, y)),
    quantile: (i, p) => base.quantile(i, map.inverse(p)),
    crps: (i, y) => {
      const q = quantiles(i);
      let s = 0;
      for (let j = 0; j < L; j++) s += ((y < q[j] ? 1 : 0) - (j + 0.5) / L) * (q[j] - y);
      return (2 * s) / L;
    },
    nll: (i, y) => base.nll(i, y) - Math.log(map.slope(base.cdf(i, y))),
    std: (i) => Math.sqrt(moments(i).v),
  };
}

/** A recalibration fitted on one calibration share, ready to apply to any set's prediction of the same model. */
export type Recalibrator = { kind: 'scale'; scale: number } | { kind: 'isotonic'; map: PitMap };

/** Fits the recalibration on the calibration share's prediction and targets. */
export function fitRecalibration(
  kind: Exclude<Recalibration, 'none'>,
  cal: Prediction,
  y: ArrayLike<number>,
): Recalibrator {
  if (kind === 'scale') return { kind, scale: fitSigmaScale(cal, y) };
  const k = kernelOf(cal, y.length);
  return { kind, map: fitPitMap(Float64Array.from({ length: y.length }, (_, i) => k.cdf(i, y[i]))) };
}

/** Every metric of calibration.ts for targets y under the recalibrated prediction. */
export function recalibratedMetrics(
  r: Recalibrator,
  pred: Prediction,
  y: ArrayLike<number>,
  levels = 99,
): UncertaintyMetrics {
  const n = y.length;
  const k = r.kind === 'scale' ? kernelOf(scaledPrediction(pred, r.scale), n) : isotonicKernel(pred, r.map, n);
  return kernelMetrics(k, y, levels);
}
