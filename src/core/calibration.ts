// Uncertainty metrics of a predictive distribution against targets (issue 14): coverage, calibration curve, PIT,
// sharpness, CRPS, interval score and NLL, for a Gaussian, a Student-t or a deep ensemble's Gaussian mixture.
// Float64 throughout; the references are Gneiting, Balabdaoui & Raftery 2007 (calibration and sharpness),
// Gneiting & Raftery 2007 (scores), Kuleshov et al. 2018 (calibration curve) and uncertainty-toolbox (Chung et al. 2021).
import { erfc, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions';
import {
  checkMixture,
  ensembleMoments,
  mixtureCdf,
  mixtureCrps,
  mixtureLogPdf,
  mixtureQuantile,
  type EnsembleMoments,
  type GaussianMixture,
} from './ensemble';
import {
  crpsGaussian,
  crpsStudentT,
  dawidSebastiani,
  gaussianNllAt,
  intervalScore,
  studentTCrpsConstant,
  studentTNllAt,
} from './scores';

/** A model's predictive distribution at n inputs. σ is a standard deviation; the Student-t's `scale` is not (its std is scale·√(ν/(ν−2))). */
export type Prediction =
  | { kind: 'gaussian'; mu: ArrayLike<number>; sigma: ArrayLike<number> }
  | { kind: 'student-t'; mu: ArrayLike<number>; scale: ArrayLike<number>; nu: number }
  | ({ kind: 'mixture' } & GaussianMixture);

export interface CoverageEntry {
  /** The interval is the central one of probability `nominal`, the probability of μ ± kσ under a Gaussian. */
  k: number;
  /** P(|Z| ≤ k) = erf(k/√2): 0.6827, 0.9545, 0.9973. */
  nominal: number;
  /** Share of targets inside the predicted central interval of that probability (for a Gaussian: |y − μ| ≤ kσ). */
  observed: number;
}

export interface UncertaintyMetrics {
  n: number;
  /** Coverage for k = 1, 2, 3 (Student-t and mixture: their own central intervals, not μ ± kσ). */
  coverage: CoverageEntry[];
  /** Calibration curve (Kuleshov et al. 2018): levels p_j = j/(L + 1) and the share of targets with y ≤ F⁻¹(p_j), i.e. PIT ≤ p_j. */
  calibration: { levels: number[]; observed: number[] };
  /** Mean |observed − p| over the levels, uncertainty-toolbox's mean absolute calibration error, a Riemann sum for the area between the curve and the diagonal; 0 is perfect, 0.5 the worst. */
  miscalibrationArea: number;
  /** √(mean (observed − p)²) over the levels. */
  rmsCalibrationError: number;
  /** Shares of PIT = F(y) in the 10 bins [0, 0.1), …, [0.9, 1]; 0.1 each when calibrated; ∪-shaped when overconfident. */
  pitHistogram: number[];
  /** Mean predictive standard deviation (Gneiting et al.'s sharpness): σ; Student-t scale·√(ν/(ν−2)), Infinity for ν ≤ 2; mixture √(total variance). */
  sharpness: number;
  /** Mean half-width of the central 68.27 % interval: equals mean σ for a Gaussian, and stays finite for any ν. */
  meanHalfWidth68: number;
  /** Mean CRPS, in the units of y (closed forms; Infinity for a Student-t with ν ≤ 1). */
  crps: number;
  /** Mean 95 % interval score (α = 0.05) of the central interval [F⁻¹(0.025), F⁻¹(0.975)]. */
  intervalScore95: number;
  /** Share of targets inside that 95 % interval. */
  coverage95: number;
  /** Mean negative log-likelihood −log p(y), with every constant (nats). */
  nll: number;
  /** Mean Dawid–Sebastiani score ((y − m)/s)² + 2 log s of the predictive mean m and standard deviation s (Gneiting & Raftery 2007, eq. 27); Infinity where s is. */
  dss: number;
  /** Mixture only: mean over inputs of the aleatoric (mean σ²_m) and epistemic (variance of μ_m) variances. */
  ensemble?: { meanAleatoric: number; meanEpistemic: number };
}

export interface MetricsOptions {
  /** Number L of calibration levels p_j = j/(L + 1); 99 gives 0.01, …, 0.99. */
  levels?: number;
}

const KS = [1, 2, 3];
const PIT_BINS = 10;
const ALPHA_95 = 0.05;
/** Φ(1) − Φ(−1) = erf(1/√2), the probability that gives each interval's half-width its "1σ" meaning. */
const P68 = 1 - erfc(Math.SQRT1_2);

/** The per-sample view of a prediction that the aggregation needs (recalibrated.ts wraps one). */
export interface Kernel {
  n: number;
  /** The predictive mean (NaN where there is none: Student-t with ν ≤ 1). */
  mean: (i: number) => number;
  cdf: (i: number, y: number) => number;
  quantile: (i: number, p: number) => number;
  crps: (i: number, y: number) => number;
  nll: (i: number, y: number) => number;
  std: (i: number) => number;
  /** The ensemble's variance split, for a mixture. */
  moments?: EnsembleMoments;
}

function checkArray(name: string, a: ArrayLike<number>, n: number, positive: boolean): void {
  if (a.length !== n) throw new Error(`invalid ${name}; length ${a.length}, expected ${n}`);
  for (let i = 0; i < n; i++) {
    const v = a[i];
    if (positive ? !(v > 0 && v < Infinity) : !Number.isFinite(v))
      throw new Error(`invalid ${name}[${i}]; not ${positive ? 'positive and finite' : 'finite'}: ${v}`);
  }
}

export function kernelOf(pred: Prediction, n: number): Kernel {
  if (pred.kind === 'gaussian') {
    const { mu, sigma } = pred;
    checkArray('mu', mu, n, false);
    checkArray('sigma', sigma, n, true);
    // Location-scale family: one standard quantile per level serves every input.
    const cache = new Map<number, number>();
    const stdQuantile = (p: number) => {
      let v = cache.get(p);
      if (v === undefined) cache.set(p, (v = normalQuantile(p)));
      return v;
    };
    return {
      n,
      mean: (i) => mu[i],
      cdf: (i, y) => normalCdf((y - mu[i]) / sigma[i]),
      quantile: (i, p) => mu[i] + sigma[i] * stdQuantile(p),
      crps: (i, y) => crpsGaussian(y, mu[i], sigma[i]),
      nll: (i, y) => gaussianNllAt(y, mu[i], sigma[i]),
      std: (i) => sigma[i],
    };
  }
  if (pred.kind === 'student-t') {
    const { mu, scale, nu } = pred;
    if (!(nu > 0)) throw new Error(`invalid nu for Student-t; not > 0: ${nu}`);
    checkArray('mu', mu, n, false);
    checkArray('scale', scale, n, true);
    const c = studentTCrpsConstant(nu);
    const stdFactor = nu > 2 ? Math.sqrt(nu / (nu - 2)) : Infinity;
    // Location-scale family: one standard quantile per level serves every input.
    const cache = new Map<number, number>();
    const stdQuantile = (p: number) => {
      let v = cache.get(p);
      if (v === undefined) cache.set(p, (v = studentTQuantile(p, nu)));
      return v;
    };
    return {
      n,
      mean: (i) => (nu > 1 ? mu[i] : NaN),
      cdf: (i, y) => studentTCdf((y - mu[i]) / scale[i], nu),
      quantile: (i, p) => mu[i] + scale[i] * stdQuantile(p),
      crps: (i, y) => crpsStudentT(y, mu[i], scale[i], nu, c),
      nll: (i, y) => studentTNllAt(y, mu[i], scale[i], nu),
      std: (i) => scale[i] * stdFactor,
    };
  }
  if (checkMixture(pred) !== n)
    throw new Error(`invalid ensemble; its members have ${pred.mus[0].length} predictions, expected ${n}`);
  const moments = ensembleMoments(pred);
  const total = moments.total;
  return {
    n,
    moments,
    mean: (i) => moments.mean[i],
    cdf: (i, y) => mixtureCdf(pred, i, y),
    quantile: (i, p) => mixtureQuantile(pred, i, p),
    crps: (i, y) => mixtureCrps(pred, i, y),
    nll: (i, y) => -mixtureLogPdf(pred, i, y),
    std: (i) => Math.sqrt(total[i]),
  };
}

/** PIT_i = F_i(y_i): uniform on [0, 1] when the predictive distributions are calibrated (Dawid 1984). */
export function pitValues(pred: Prediction, y: ArrayLike<number>): Float64Array {
  const k = kernelOf(pred, y.length);
  checkArray('y', y, y.length, false);
  return Float64Array.from({ length: y.length }, (_, i) => k.cdf(i, y[i]));
}

/** Every metric of UncertaintyMetrics for targets y under the prediction. */
export function uncertaintyMetrics(
  pred: Prediction,
  y: ArrayLike<number>,
  options: MetricsOptions = {},
): UncertaintyMetrics {
  const n = y.length;
  if (!(n >= 1)) throw new Error('invalid y for uncertaintyMetrics; needs at least one target');
  const L = options.levels ?? 99;
  if (!(Number.isInteger(L) && L >= 1))
    throw new Error(`invalid levels for uncertaintyMetrics; not a positive integer: ${L}`);
  checkArray('y', y, n, false);
  return kernelMetrics(kernelOf(pred, n), y, L);
}

/** The metrics of targets y under a kernel (a prediction's, or a recalibrated one), L calibration levels. */
export function kernelMetrics(k: Kernel, y: ArrayLike<number>, L: number): UncertaintyMetrics {
  const n = y.length;
  const pit = new Float64Array(n);
  let crps = 0;
  let nll = 0;
  let std = 0;
  let half68 = 0;
  let score95 = 0;
  let inside95 = 0;
  let dss = 0;
  for (let i = 0; i < n; i++) {
    const yi = y[i];
    pit[i] = k.cdf(i, yi);
    crps += k.crps(i, yi);
    nll += k.nll(i, yi);
    const si = k.std(i);
    std += si;
    dss += dawidSebastiani(yi, k.mean(i), si);
    half68 += 0.5 * (k.quantile(i, 0.5 + P68 / 2) - k.quantile(i, 0.5 - P68 / 2));
    const lower = k.quantile(i, ALPHA_95 / 2);
    const upper = k.quantile(i, 1 - ALPHA_95 / 2);
    score95 += intervalScore(lower, upper, yi, ALPHA_95);
    if (lower <= yi && yi <= upper) inside95++;
  }

  const coverage = KS.map((kk) => {
    const nominal = 1 - erfc(kk / Math.SQRT2);
    const [lo, hi] = [0.5 - nominal / 2, 0.5 + nominal / 2];
    let inside = 0;
    for (let i = 0; i < n; i++) if (pit[i] >= lo && pit[i] <= hi) inside++;
    return { k: kk, nominal, observed: inside / n };
  });

  const sorted = Float64Array.from(pit).sort();
  const levels: number[] = [];
  const observed: number[] = [];
  let below = 0;
  let abs = 0;
  let sq = 0;
  for (let j = 1; j <= L; j++) {
    const p = j / (L + 1);
    while (below < n && sorted[below] <= p) below++;
    const o = below / n;
    levels.push(p);
    observed.push(o);
    abs += Math.abs(o - p);
    sq += (o - p) ** 2;
  }

  const counts = new Array<number>(PIT_BINS).fill(0);
  for (const v of pit) counts[Math.min(PIT_BINS - 1, Math.floor(v * PIT_BINS))]++;

  const metrics: UncertaintyMetrics = {
    n,
    coverage,
    calibration: { levels, observed },
    miscalibrationArea: abs / L,
    rmsCalibrationError: Math.sqrt(sq / L),
    pitHistogram: counts.map((c) => c / n),
    sharpness: std / n,
    meanHalfWidth68: half68 / n,
    crps: crps / n,
    intervalScore95: score95 / n,
    coverage95: inside95 / n,
    nll: nll / n,
    dss: dss / n,
  };
  if (k.moments) {
    const { aleatoric, epistemic } = k.moments;
    const mean = (a: Float64Array) => a.reduce((s, v) => s + v, 0) / a.length;
    metrics.ensemble = { meanAleatoric: mean(aleatoric), meanEpistemic: mean(epistemic) };
  }
  return metrics;
}
