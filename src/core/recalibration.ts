// Post-hoc recalibration of a predictive distribution on a calibration share it never trained on: one global σ
// scale that minimises the NLL (temperature scaling's regression form; Laves et al. 2020, Levi et al. 2022), and
// isotonic recalibration of the PIT (Kuleshov, Fenner & Ermon 2018, Alg. 1): a monotone map R with R(F(y)) ≈ the
// empirical CDF of the calibration PITs, so the recalibrated CDF is R∘F. Float64, no tensors.

/**
 * Isotonic (non-decreasing) least-squares fit of y with weights w, by pool-adjacent-violators (Barlow et al.
 * 1972): O(n). Returns the fitted value of every point, in the input order (the x order is the array order).
 */
export function isotonic(y: ArrayLike<number>, w?: ArrayLike<number>): Float64Array {
  const n = y.length;
  // Blocks as a stack: level, weight, first index.
  const level = new Float64Array(n);
  const weight = new Float64Array(n);
  const start = new Int32Array(n);
  let top = -1;
  for (let i = 0; i < n; i++) {
    const wi = w ? w[i] : 1;
    if (!(wi > 0)) throw new Error(`invalid w[${i}] for isotonic; not > 0: ${wi}`);
    top++;
    level[top] = y[i];
    weight[top] = wi;
    start[top] = i;
    while (top > 0 && level[top - 1] > level[top]) {
      const ww = weight[top - 1] + weight[top];
      level[top - 1] = (level[top - 1] * weight[top - 1] + level[top] * weight[top]) / ww;
      weight[top - 1] = ww;
      top--;
    }
  }
  const out = new Float64Array(n);
  for (let b = top; b >= 0; b--) {
    const end = b === top ? n : start[b + 1];
    out.fill(level[b], start[b], end);
  }
  return out;
}

/**
 * The σ scale s that minimises the Gaussian NLL Σ log(sσᵢ) + zᵢ²/(2s²) of standardised residuals zᵢ = (yᵢ − μᵢ)/σᵢ:
 * setting the derivative n/s − Σzᵢ²/s³ to zero gives s = √(mean zᵢ²) (1 when every z is 0: nothing to scale).
 */
export function gaussianSigmaScale(z: ArrayLike<number>): number {
  let sq = 0;
  for (let i = 0; i < z.length; i++) sq += z[i] * z[i];
  const s = Math.sqrt(sq / z.length);
  return s > 0 && s < Infinity ? s : 1;
}

/**
 * The s > 0 minimising a mean NLL f(s) of a scaled spread, by golden-section search on log s in [e⁻¹², e¹²]
 * (f is unimodal in log s for a location-scale family: the log s term grows linearly, the fit term falls).
 */
export function minimiseScale(nll: (s: number) => number, iterations = 80): number {
  const g = (Math.sqrt(5) - 1) / 2;
  let a = -12;
  let b = 12;
  let c = b - g * (b - a);
  let d = a + g * (b - a);
  let fc = nll(Math.exp(c));
  let fd = nll(Math.exp(d));
  for (let it = 0; it < iterations; it++) {
    if (fc <= fd) {
      b = d;
      d = c;
      fd = fc;
      c = b - g * (b - a);
      fc = nll(Math.exp(c));
    } else {
      a = c;
      c = d;
      fc = fd;
      d = a + g * (b - a);
      fd = nll(Math.exp(d));
    }
  }
  return Math.exp((a + b) / 2);
}

/**
 * Kuleshov et al.'s recalibration map, fitted on calibration PITs: R is the isotonic fit of the pairs
 * (pᵢ, P̂(pᵢ)), P̂(p) = share of calibration PITs ≤ p, joined linearly through (0, 0) and (1, 1). So that the
 * recalibrated distribution keeps a density (its NLL stays finite where R is flat) it is mixed with the identity:
 * R_ε = (1 − ε)R + εp, ε = IDENTITY_SHARE. `inverse` is R_ε⁻¹, `slope` its derivative (the density's factor).
 */
export interface PitMap {
  /** Knots p (ascending, from 0 to 1) and R_ε(p) at them (strictly ascending). */
  knotsP: Float64Array;
  knotsR: Float64Array;
  apply: (p: number) => number;
  inverse: (r: number) => number;
  slope: (p: number) => number;
}

/** How much identity keeps the recalibrated CDF strictly increasing (a density everywhere). */
export const IDENTITY_SHARE = 1e-3;

/** The segment [xs[j − 1], xs[j]] holding x (ascending xs; clamped to the first and last). */
function segment(xs: Float64Array, x: number): number {
  let lo = 0;
  let hi = xs.length - 1;
  while (hi - lo > 1) {
    const mid = (lo + hi) >> 1;
    if (xs[mid] <= x) lo = mid;
    else hi = mid;
  }
  return hi;
}

function interpolate(xs: Float64Array, ys: Float64Array, x: number): number {
  if (!(x > xs[0])) return ys[0];
  if (!(x < xs[xs.length - 1])) return ys[ys.length - 1];
  const j = segment(xs, x);
  const t = (x - xs[j - 1]) / (xs[j] - xs[j - 1]);
  return ys[j - 1] + t * (ys[j] - ys[j - 1]);
}

/** R fitted on calibration PITs (values in [0, 1]); an empty set gives the identity. */
export function fitPitMap(pits: ArrayLike<number>): PitMap {
  const sorted = Float64Array.from(pits)
    .filter((p) => p >= 0 && p <= 1)
    .sort();
  const n = sorted.length;
  // P̂ at each sorted PIT, ties taking the share at their last copy.
  const target = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) target[i] = i + 1 < n && sorted[i + 1] === sorted[i] ? target[i + 1] : (i + 1) / n;
  const fit = isotonic(target);
  // Knots: (0, 0), each distinct p with its fitted value, (1, 1); then the identity mix makes them strictly ascending.
  const ps: number[] = [0];
  const rs: number[] = [0];
  for (let i = 0; i < n; i++) {
    const p = sorted[i];
    if (p <= ps[ps.length - 1]) {
      rs[rs.length - 1] = Math.max(rs[rs.length - 1], fit[i]);
      continue;
    }
    if (p >= 1) break;
    ps.push(p);
    rs.push(fit[i]);
  }
  ps.push(1);
  rs.push(1);
  const e = IDENTITY_SHARE;
  const knotsP = Float64Array.from(ps);
  const knotsR = Float64Array.from(rs, (r, j) => (1 - e) * Math.min(1, r) + e * ps[j]);
  return {
    knotsP,
    knotsR,
    apply: (p) => interpolate(knotsP, knotsR, p),
    inverse: (r) => interpolate(knotsR, knotsP, r),
    slope: (p) => {
      const j = segment(knotsP, p);
      return (knotsR[j] - knotsR[j - 1]) / (knotsP[j] - knotsP[j - 1]);
    },
  };
}
