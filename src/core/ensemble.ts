// Deep ensembles (Lakshminarayanan et al. 2017, sec. 2.4): M Gaussian members N(μ_m(x), σ²_m(x)) combined into the
// uniform mixture p(y|x) = (1/M) Σ_m N(y; μ_m, σ²_m), its moments, CDF and quantiles, in float64.
import { normalCdf, normalPdf, normalQuantile } from './distributions';

/** M members' predictions over the same n inputs: mus[m][i] = μ_m(x_i), sigmas[m][i] = σ_m(x_i) (std, not variance). */
export interface GaussianMixture {
  mus: Float64Array[];
  sigmas: Float64Array[];
}

export interface EnsembleMoments {
  /** μ*(x) = (1/M) Σ μ_m(x), the ensemble's prediction. */
  mean: Float64Array;
  /** (1/M) Σ σ²_m(x): the noise the members expect (aleatoric). */
  aleatoric: Float64Array;
  /** (1/M) Σ (μ_m(x) − μ*(x))²: the members' disagreement (epistemic), in the population form 1/M. */
  epistemic: Float64Array;
  /** σ²*(x) = aleatoric + epistemic, the mixture's variance (their eq. for the Gaussian approximation). */
  total: Float64Array;
}

/** Checks shapes and σ > 0; returns n. */
export function checkMixture(mix: GaussianMixture): number {
  const M = mix.mus.length;
  if (!(M >= 1) || mix.sigmas.length !== M)
    throw new Error(`invalid ensemble; needs M ≥ 1 members with as many σ as μ arrays: ${M} μ, ${mix.sigmas.length} σ`);
  const n = mix.mus[0].length;
  for (let m = 0; m < M; m++) {
    if (mix.mus[m].length !== n || mix.sigmas[m].length !== n)
      throw new Error(
        `invalid ensemble; member ${m} has ${mix.mus[m].length} μ and ${mix.sigmas[m].length} σ, expected ${n}`,
      );
    for (let i = 0; i < n; i++)
      if (!(mix.sigmas[m][i] > 0))
        throw new Error(`invalid ensemble; σ of member ${m} at ${i} not > 0: ${mix.sigmas[m][i]}`);
  }
  return n;
}

/** The ensemble mean and its variance split into aleatoric and epistemic parts, per input. */
export function ensembleMoments(mix: GaussianMixture): EnsembleMoments {
  const n = checkMixture(mix);
  const M = mix.mus.length;
  const mean = new Float64Array(n);
  const aleatoric = new Float64Array(n);
  const epistemic = new Float64Array(n);
  const total = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    let v = 0;
    for (let m = 0; m < M; m++) {
      s += mix.mus[m][i];
      v += mix.sigmas[m][i] ** 2;
    }
    const mu = s / M;
    // Deviations from the mean, not E[μ²] − μ*², which cancels when the members agree closely.
    let d = 0;
    for (let m = 0; m < M; m++) d += (mix.mus[m][i] - mu) ** 2;
    mean[i] = mu;
    aleatoric[i] = v / M;
    epistemic[i] = d / M;
    total[i] = aleatoric[i] + epistemic[i];
  }
  return { mean, aleatoric, epistemic, total };
}

/** F(y) = (1/M) Σ Φ((y − μ_m)/σ_m) at input i. */
export function mixtureCdf(mix: GaussianMixture, i: number, y: number): number {
  const M = mix.mus.length;
  let s = 0;
  for (let m = 0; m < M; m++) s += normalCdf((y - mix.mus[m][i]) / mix.sigmas[m][i]);
  return s / M;
}

/** log p(y) = log (1/M) Σ N(y; μ_m, σ²_m) at input i, by log-sum-exp (members far from y underflow otherwise). */
export function mixtureLogPdf(mix: GaussianMixture, i: number, y: number): number {
  const M = mix.mus.length;
  const logs = new Float64Array(M);
  let top = -Infinity;
  for (let m = 0; m < M; m++) {
    const s = mix.sigmas[m][i];
    const z = (y - mix.mus[m][i]) / s;
    logs[m] = -0.5 * z * z - Math.log(s) - 0.5 * Math.log(2 * Math.PI);
    top = Math.max(top, logs[m]);
  }
  let sum = 0;
  for (let m = 0; m < M; m++) sum += Math.exp(logs[m] - top);
  return top + Math.log(sum / M);
}

/** p(y) = (1/M) Σ φ((y − μ_m)/σ_m)/σ_m at input i. */
function mixturePdf(mix: GaussianMixture, i: number, y: number): number {
  const M = mix.mus.length;
  let s = 0;
  for (let m = 0; m < M; m++) s += normalPdf((y - mix.mus[m][i]) / mix.sigmas[m][i]) / mix.sigmas[m][i];
  return s / M;
}

/**
 * F⁻¹(p) at input i by bisection, accelerated by Newton steps that stay inside the bracket. The quantile lies
 * between the smallest and the largest member quantile μ_m + σ_m Φ⁻¹(p): at the smallest every member's CDF is
 * ≤ p, at the largest every one is ≥ p.
 */
export function mixtureQuantile(mix: GaussianMixture, i: number, p: number): number {
  if (!(p > 0 && p < 1)) throw new Error(`invalid p for mixtureQuantile; not in (0, 1): ${p}`);
  const z = normalQuantile(p);
  const M = mix.mus.length;
  let lo = Infinity;
  let hi = -Infinity;
  let mean = 0;
  let second = 0;
  for (let m = 0; m < M; m++) {
    const mu = mix.mus[m][i];
    const sd = mix.sigmas[m][i];
    lo = Math.min(lo, mu + sd * z);
    hi = Math.max(hi, mu + sd * z);
    mean += mu / M;
    second += (mu * mu + sd * sd) / M;
  }
  // Start from the moment-matched Gaussian's quantile, which is close unless the members disagree strongly.
  const guess = mean + Math.sqrt(Math.max(0, second - mean * mean)) * z;
  let x = guess > lo && guess < hi ? guess : 0.5 * (lo + hi);
  for (let k = 0; k < 200 && hi - lo > 1e-14 * Math.max(1, Math.abs(lo), Math.abs(hi)); k++) {
    const g = mixtureCdf(mix, i, x) - p;
    if (g === 0) return x;
    if (g < 0) lo = x;
    else hi = x;
    const newton = x - g / mixturePdf(mix, i, x);
    const next = newton > lo && newton < hi ? newton : 0.5 * (lo + hi);
    if (Math.abs(next - x) <= 1e-13 * Math.max(1, Math.abs(x))) return next;
    x = next;
  }
  return x;
}

/** E|X| for X ~ N(μ, σ²): 2σφ(μ/σ) + μ(2Φ(μ/σ) − 1). */
function absMomentNormal(mu: number, sigma: number): number {
  const z = mu / sigma;
  return 2 * sigma * normalPdf(z) + mu * (2 * normalCdf(z) - 1);
}

/**
 * CRPS of the mixture at input i (Grimit et al. 2006, eq. 5), from CRPS(F, y) = E|X − y| − ½E|X − X'|:
 *   Σ_m w_m A(y − μ_m, σ²_m) − ½ Σ_m Σ_k w_m w_k A(μ_m − μ_k, σ²_m + σ²_k),  A(μ, σ²) = E|N(μ, σ²)|, w = 1/M.
 * O(M²) per input.
 */
export function mixtureCrps(mix: GaussianMixture, i: number, y: number): number {
  const M = mix.mus.length;
  let first = 0;
  let second = 0;
  for (let m = 0; m < M; m++) {
    const mu = mix.mus[m][i];
    const s2 = mix.sigmas[m][i] ** 2;
    first += absMomentNormal(y - mu, Math.sqrt(s2));
    // The diagonal k = m gives A(0, 2σ²) = 2σ/√π; off-diagonal pairs appear twice.
    second += 2 * Math.sqrt(s2 / Math.PI);
    for (let k = m + 1; k < M; k++)
      second += 2 * absMomentNormal(mu - mix.mus[k][i], Math.sqrt(s2 + mix.sigmas[k][i] ** 2));
  }
  return first / M - (0.5 * second) / (M * M);
}
