// Special functions the losses need in float64 on the JavaScript side.

const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

/** log Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error about 1e-15). */
export function logGamma(x: number): number {
  if (!(x > 0)) throw new Error(`invalid x for logGamma; not > 0: ${x}`);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let a = LANCZOS[0];
  const t = z + 7.5;
  for (let i = 1; i < 9; i++) a += LANCZOS[i] / (z + i);
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(a);
}

const BRANCH = -1 / Math.E;

/**
 * Lambert W, principal branch W₀(z) for z ≥ −1/e: the w ≥ −1 with w·eʷ = z. Exact at the branch point
 * (W(−1/e) = −1); Halley's iteration from a series start near the branch point and a log start far away.
 */
export function lambertW(z: number): number {
  if (Number.isNaN(z)) return NaN;
  if (z < BRANCH - 1e-15) throw new Error(`invalid z for lambertW; below −1/e: ${z}`);
  if (z <= BRANCH) return -1;
  if (z === 0) return 0;
  if (z === Infinity) return Infinity;
  let w = lambertWStart(z);
  for (let i = 0; i < 12; i++) {
    const ew = Math.exp(w);
    const f = w * ew - z;
    const wp1 = w + 1;
    const denom = ew * wp1 - ((w + 2) * f) / (2 * wp1);
    if (denom === 0 || !Number.isFinite(denom)) break;
    const next = w - f / denom;
    if (Math.abs(next - w) <= 1e-15 * (1 + Math.abs(next))) return next;
    w = next;
  }
  return w;
}

/** A starting point for Halley's iteration, within a few percent of W₀(z) everywhere on [−1/e, ∞). */
export function lambertWStart(z: number): number {
  if (z < -0.25) {
    const p = Math.sqrt(2 * (Math.E * z + 1));
    return -1 + p - (p * p) / 3 + (11 / 72) * p * p * p;
  }
  if (z < 3) return Math.log1p(z) * (1 - Math.log1p(Math.log1p(z)) / (2 + Math.log1p(z)));
  const l1 = Math.log(z);
  const l2 = Math.log(l1);
  return l1 - l2 + l2 / l1;
}
