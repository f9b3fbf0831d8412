// Proper scoring rules per sample, in float64: CRPS in closed form (Gaussian, Student-t), the interval score
// (Gneiting & Raftery 2007, sec. 6.2) and negative log-likelihoods. Lower is better for all of them.
import { logBeta, normalCdf, normalPdf, studentTCdf, studentTLogPdf, studentTPdf } from './distributions';

const INV_SQRT_PI = 1 / Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * CRPS(N(μ, σ²), y) = σ[z(2Φ(z) − 1) + 2φ(z) − 1/√π], z = (y − μ)/σ (Gneiting et al. 2005, eq. 5). It equals
 * ∫(F(x) − 1{x ≥ y})² dx = E|X − y| − ½E|X − X'| and is in the units of y.
 */
export function crpsGaussian(y: number, mu: number, sigma: number): number {
  const z = (y - mu) / sigma;
  return sigma * (z * (2 * normalCdf(z) - 1) + 2 * normalPdf(z) - INV_SQRT_PI);
}

/**
 * The ν-only term of the Student-t CRPS, 2√ν·B(½, ν − ½) / ((ν − 1)·B(½, ν/2)²) = E|T − T'|/2 for the standard t_ν.
 * It tends to 1/√π as ν → ∞. Infinite for ν ≤ 1, where E|T| is.
 */
export function studentTCrpsConstant(nu: number): number {
  if (!(nu > 1)) return Infinity;
  return (2 * Math.sqrt(nu) * Math.exp(logBeta(0.5, nu - 0.5) - 2 * logBeta(0.5, nu / 2))) / (nu - 1);
}

/**
 * CRPS(t_ν(μ, s), y) = s·[z(2F_ν(z) − 1) + 2f_ν(z)(ν + z²)/(ν − 1) − c(ν)], z = (y − μ)/s, c = studentTCrpsConstant
 * (Jordan, Krüger & Lerch 2019, scoringRules, "crps_t"; checked against ∫(F − 1{x ≥ y})² dx in the tests).
 * Finite only for ν > 1 (a heavier tail has no mean, and the CRPS is infinite); pass c to avoid recomputing it.
 */
export function crpsStudentT(y: number, mu: number, scale: number, nu: number, c = studentTCrpsConstant(nu)): number {
  if (!(nu > 1)) return Infinity;
  const z = (y - mu) / scale;
  return scale * (z * (2 * studentTCdf(z, nu) - 1) + (2 * studentTPdf(z, nu) * (nu + z * z)) / (nu - 1) - c);
}

/**
 * The interval score of the central (1 − α) interval [l, u] (Gneiting & Raftery 2007, eq. 43):
 * (u − l) + (2/α)(l − y)₊ + (2/α)(y − u)₊. Its expectation is minimised by the true α/2 and 1 − α/2 quantiles.
 */
export function intervalScore(lower: number, upper: number, y: number, alpha: number): number {
  return upper - lower + (2 / alpha) * Math.max(0, lower - y) + (2 / alpha) * Math.max(0, y - upper);
}

/** −log N(y; μ, σ²) = ½ log 2π + log σ + (y − μ)²/(2σ²), with the constant (unlike the training loss). */
export function gaussianNllAt(y: number, mu: number, sigma: number): number {
  const z = (y - mu) / sigma;
  return LOG_SQRT_2PI + Math.log(sigma) + 0.5 * z * z;
}

/** −log t_ν(y; μ, s) = −log f_ν((y − μ)/s) + log s, s the scale (not the standard deviation). */
export function studentTNllAt(y: number, mu: number, scale: number, nu: number): number {
  return -studentTLogPdf((y - mu) / scale, nu) + Math.log(scale);
}

/**
 * The Dawid–Sebastiani score ((y − m)/s)² + 2 log s (Gneiting & Raftery 2007, eq. 27; the Gaussian NLL's form
 * without constants, applied to any distribution's mean m and standard deviation s): proper for the first two
 * moments alone, so it cannot see a wrong shape. Infinity when s is (a Student-t with ν ≤ 2), NaN without a mean.
 */
export function dawidSebastiani(y: number, mean: number, std: number): number {
  if (std === Infinity) return Infinity;
  const z = (y - mean) / std;
  return z * z + 2 * Math.log(std);
}
