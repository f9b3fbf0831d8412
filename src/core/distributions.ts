// The normal and Student-t distributions in float64: densities, CDFs, quantiles and the special functions under
// them (erfc, the regularized incomplete beta), for the uncertainty metrics in calibration.ts.
import { logGamma } from './special';

/** The predictive distribution a model's (μ, v) stand for; 'none' for a mean-only model. */
export type Predictive = { kind: 'gaussian' } | { kind: 'student-t'; nu: number } | { kind: 'none' };

const SQRT_PI = Math.sqrt(Math.PI);
const LOG_SQRT_2PI = 0.5 * Math.log(2 * Math.PI);

/**
 * erfc(x) to about 1e-15 relative. For |x| < 2 the everywhere-positive series erf(x) = (2/√π)e^{−x²} Σ 2ⁿx^{2n+1}/(2n+1)!!
 * (no cancellation, unlike the Taylor series); beyond, Laplace's continued fraction
 * erfc(x) = e^{−x²}/√π · 1/(x + (1/2)/(x + 1/(x + (3/2)/(x + …)))), evaluated by the modified Lentz method, which
 * keeps full relative precision far into the tail.
 */
export function erfc(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < 0) return 2 - erfc(-x);
  if (x < 2) {
    let term = x;
    let sum = x;
    const x2 = x * x;
    for (let n = 1; n < 200 && term > 1e-17 * sum; n++) {
      term *= (2 * x2) / (2 * n + 1);
      sum += term;
    }
    return 1 - (2 / SQRT_PI) * Math.exp(-x2) * sum;
  }
  if (x > 27) return 0;
  // Lentz on b₀ + a₁/(b₁ + a₂/(b₂ + …)) with b = x, aₖ = k/2.
  const tiny = 1e-300;
  let f = x;
  let c = x;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = x + a * d;
    d = d === 0 ? 1 / tiny : 1 / d;
    c = x + a / c;
    if (c === 0) c = tiny;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-x * x) / (SQRT_PI * f);
}

/** φ(z), the standard normal density. */
export const normalPdf = (z: number): number => Math.exp(-0.5 * z * z - LOG_SQRT_2PI);

/** Φ(z) = ½ erfc(−z/√2), with full relative precision in the lower tail. */
export const normalCdf = (z: number): number => 0.5 * erfc(-z / Math.SQRT2);

/**
 * Φ⁻¹(p): the rational start of Abramowitz & Stegun 26.2.23 (error < 4.5e-4), then Halley's iteration on
 * Φ(z) − p, which converges cubically (three steps reach rounding).
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new Error(`invalid p for normalQuantile; not in [0, 1]: ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p > 0.5) return -normalQuantile(1 - p);
  const t = Math.sqrt(-2 * Math.log(p));
  let z = -(
    t -
    (2.515517 + 0.802853 * t + 0.010328 * t * t) / (1 + 1.432788 * t + 0.189269 * t * t + 0.001308 * t * t * t)
  );
  for (let i = 0; i < 4; i++) {
    const r = (normalCdf(z) - p) / normalPdf(z);
    if (!Number.isFinite(r)) break;
    const step = r / (1 + 0.5 * z * r);
    z -= step;
    if (Math.abs(step) <= 1e-15 * Math.abs(z)) break;
  }
  return z;
}

/** Stirling's series of log Γ(x) − [(x − ½) log x − x + ½ log 2π], B₂ₖ/(2k(2k − 1)x^{2k−1}) for k ≤ 5; < 1e-16 for x ≥ 16. */
function stirlingCorrection(x: number): number {
  const r = 1 / (x * x);
  return (1 / 12 + r * (-1 / 360 + r * (1 / 1260 + r * (-1 / 1680 + r * (1 / 1188))))) / x;
}

/**
 * log B(a, b) = log Γ(a) + log Γ(b) − log Γ(a + b). Once the larger argument passes 16, log Γ(b) − log Γ(a + b) is
 * taken from Stirling's series as −(b − ½)·log1p(a/b) − a·log(a + b) + a + corrections: the direct difference of two
 * values of size b·log b would lose about log10(b log b) digits (1e-9 relative for Student-t's ν = 10⁶).
 */
export function logBeta(a: number, b: number): number {
  const small = Math.min(a, b);
  const large = Math.max(a, b);
  if (large < 16) return logGamma(a) + logGamma(b) - logGamma(a + b);
  const ratio =
    -(large - 0.5) * Math.log1p(small / large) -
    small * Math.log(large + small) +
    small +
    stirlingCorrection(large) -
    stirlingCorrection(large + small);
  return logGamma(small) + ratio;
}

/**
 * The regularized incomplete beta I_x(a, b). Continued fraction DLMF 8.17.22 (modified Lentz) where it converges
 * fast, x < (a + 1)/(a + b + 2); otherwise the reflection I_x(a, b) = 1 − I_{1−x}(b, a).
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(x >= 0 && x <= 1)) throw new Error(`invalid x for incompleteBeta; not in [0, 1]: ${x}`);
  return incompleteBetaLogs(x, 1 - x, Math.log(x), Math.log1p(-x), a, b);
}

/**
 * I_x(a, b) with y = 1 − x and both logarithms supplied by the caller: with a or b large (Student-t's ν/2), the prefactor
 * x^a·y^b amplifies any rounding of log x or log y by a or b, so the caller computes them from its own exact quantities.
 */
function incompleteBetaLogs(x: number, y: number, logX: number, logY: number, a: number, b: number): number {
  if (x === 0) return 0;
  if (y === 0) return 1;
  if (x > (a + 1) / (a + b + 2)) return 1 - incompleteBetaLogs(y, x, logY, logX, b, a);
  const front = Math.exp(a * logX + b * logY - logBeta(a, b)) / a;
  const tiny = 1e-300;
  // 1/(1 + d₁/(1 + d₂/(1 + …))), d_{2m} = m(b − m)x/((a + 2m − 1)(a + 2m)), d_{2m+1} = −(a + m)(a + b + m)x/((a + 2m)(a + 2m + 1)).
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
  let f = d;
  for (let m = 1; m < 20000; m++) {
    for (const coef of [
      (m * (b - m) * x) / ((a + 2 * m - 1) * (a + 2 * m)),
      (-(a + m) * (a + b + m) * x) / ((a + 2 * m) * (a + 2 * m + 1)),
    ]) {
      d = 1 + coef * d;
      d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
      c = 1 + coef / c;
      if (Math.abs(c) < tiny) c = tiny;
      f *= c * d;
    }
    if (Math.abs(c * d - 1) < 1e-16) break;
  }
  return front * f;
}

function checkNu(nu: number): void {
  if (!(nu > 0)) throw new Error(`invalid nu for Student-t; not > 0: ${nu}`);
}

/** log f_ν(t) of the standard Student-t: −log(√ν B(½, ν/2)) − (ν + 1)/2 · log(1 + t²/ν). */
export function studentTLogPdf(t: number, nu: number): number {
  checkNu(nu);
  return -0.5 * Math.log(nu) - logBeta(0.5, nu / 2) - ((nu + 1) / 2) * Math.log1p((t * t) / nu);
}

export const studentTPdf = (t: number, nu: number): number => Math.exp(studentTLogPdf(t, nu));

/** P(T > |t|) = ½ I_{ν/(ν+t²)}(ν/2, ½) for the standard Student-t, computed without forming 1 − F. */
function studentTTail(t: number, nu: number): number {
  const t2 = t * t;
  if (t2 === 0) return 0.5;
  // x = ν/(ν + t²), y = t²/(ν + t²); log x = −log1p(t²/ν) keeps the digits that x itself rounds away.
  const logX = -Math.log1p(t2 / nu);
  return 0.5 * incompleteBetaLogs(nu / (nu + t2), t2 / (nu + t2), logX, Math.log(t2 / nu) + logX, nu / 2, 0.5);
}

/** F_ν(t): the tail P(T > |t|) below 0, one minus it above. */
export function studentTCdf(t: number, nu: number): number {
  checkNu(nu);
  if (Number.isNaN(t)) return NaN;
  if (t === Infinity) return 1;
  if (t === -Infinity) return 0;
  const tail = studentTTail(t, nu);
  return t > 0 ? 1 - tail : tail;
}

/**
 * F_ν⁻¹(p): Newton's iteration on the tail ½I(ν/2, ½) − min(p, 1 − p) for t ≥ 0, kept inside a bracket that is
 * halved whenever a step would leave it (so it converges even for ν = 1's heavy tails); odd symmetry gives the sign.
 * The lower tail is solved for p itself, never for 1 − p, which would round away the digits of a tiny p.
 */
export function studentTQuantile(p: number, nu: number): number {
  checkNu(nu);
  if (!(p >= 0 && p <= 1)) throw new Error(`invalid p for studentTQuantile; not in [0, 1]: ${p}`);
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  if (p === 0.5) return 0;
  const target = p < 0.5 ? p : 1 - p;
  const sign = p < 0.5 ? -1 : 1;
  let lo = 0;
  let hi = Math.max(1, -normalQuantile(target));
  while (studentTTail(hi, nu) > target) {
    lo = hi;
    hi *= 2;
  }
  let t = 0.5 * (lo + hi);
  for (let i = 0; i < 300; i++) {
    const g = studentTTail(t, nu) - target;
    if (g === 0) break;
    if (g > 0) lo = t;
    else hi = t;
    let next = t + g / studentTPdf(t, nu);
    if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
    const done = Math.abs(next - t) <= 1e-15 * t || hi - lo <= 1e-15 * hi;
    t = next;
    if (done) break;
  }
  return sign * t;
}
