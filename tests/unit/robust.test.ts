// Barron's general and adaptive loss, Lambert W and the SuperLoss, against closed forms and known constants.
import { describe, expect, it } from 'vitest';
import { tf, type Tensor } from '../../src/core/tf';
import {
  adaptiveAlpha,
  adaptiveLatents,
  adaptiveScale,
  barronAdaptiveNll,
  barronPartition,
  barronPsi,
  barronRho,
  barronRhoTensor,
  logPartition,
  logPartitionTensor,
  superloss,
  superlossSigma,
  superlossSigmaTensor,
  superlossTensor,
  lambertWTensor,
} from '../../src/core/losses';
import { lambertW } from '../../src/core/special';

const read = (x: Tensor) => Array.from(x.dataSync());
const XS = [-30, -4, -1.3, -0.2, 0, 0.05, 0.7, 2.5, 9];

describe("Barron's ρ(x, α, c)", () => {
  const c = 1.3;
  it('matches the named closed forms', () => {
    for (const x of XS) {
      const z = (x / c) ** 2;
      expect(barronRho(x, 2, c)).toBeCloseTo(0.5 * z, 12);
      expect(barronRho(x, 1, c)).toBeCloseTo(Math.sqrt(z + 1) - 1, 12);
      expect(barronRho(x, 0, c)).toBeCloseTo(Math.log(0.5 * z + 1), 12);
      expect(barronRho(x, -2, c)).toBeCloseTo((2 * z) / (z + 4), 12);
      expect(barronRho(x, -Infinity, c)).toBeCloseTo(1 - Math.exp(-0.5 * z), 12);
      expect(barronRho(x, Infinity, c)).toBeCloseTo(Math.expm1(0.5 * z), 6);
    }
  });
  it('loses no precision next to the special cases α = 2 and α = 0', () => {
    for (const x of XS) {
      for (const d of [1e-12, 1e-9, 1e-6]) {
        const ref2 = barronRho(x, 2, c);
        const ref0 = barronRho(x, 0, c);
        // ρ is smooth in α, so a step d moves it by O(d · |∂ρ/∂α|) and no more.
        const slope = 10 * (1 + (x / c) ** 2 * (1 + Math.log1p((x / c) ** 2)));
        expect(Math.abs(barronRho(x, 2 - d, c) - ref2)).toBeLessThanOrEqual(d * slope + 1e-15);
        expect(Math.abs(barronRho(x, d, c) - ref0)).toBeLessThanOrEqual(d * slope + 1e-15);
        expect(Math.abs(barronRho(x, -d, c) - ref0)).toBeLessThanOrEqual(d * slope + 1e-15);
      }
    }
  });
  it('ψ is the derivative of ρ (central differences)', () => {
    for (const alpha of [2, 1.5, 1, 0.3, 0, -1, -2, -10, -Infinity]) {
      for (const x of XS) {
        const h = 1e-5;
        const fd = (barronRho(x + h, alpha, c) - barronRho(x - h, alpha, c)) / (2 * h);
        expect(barronPsi(x, alpha, c)).toBeCloseTo(fd, 6);
      }
    }
  });
  it('the tensor version agrees with float64 and its gradient is ψ; α = −∞ goes through the Welsch mask', () => {
    const alphas = [2, 1, 0, -2, 0.5, 1.9999999, 1e-7, -5];
    const x = tf.tensor2d(alphas.map(() => XS));
    const alpha = tf.tensor2d(alphas.map((a) => [a]));
    const rho = read(barronRhoTensor(x, alpha, c));
    const g = read(tf.grad((v: Tensor) => tf.sum(barronRhoTensor(v, alpha, c)))(x));
    alphas.forEach((a, k) =>
      XS.forEach((xv, i) => {
        const ref = barronRho(xv, a, c);
        expect(Math.abs(rho[k * XS.length + i] - ref)).toBeLessThanOrEqual(2e-4 * (1 + Math.abs(ref)));
        const psi = barronPsi(xv, a, c);
        expect(Math.abs(g[k * XS.length + i] - psi)).toBeLessThanOrEqual(2e-4 * (1 + Math.abs(psi)));
      }),
    );
    const welsch = read(barronRhoTensor(tf.tensor2d([XS]), tf.tensor2d([[0]]), c, tf.tensor2d([[1]])));
    XS.forEach((xv, i) => expect(welsch[i]).toBeCloseTo(barronRho(xv, -Infinity, c), 5));
  });
  it('rejects a non-positive scale', () => {
    expect(() => barronRho(1, 1, 0)).toThrow(/scale c/);
  });
});

describe("Barron's partition function Z(α)", () => {
  // K₁(1), the modified Bessel function of the second kind (Abramowitz & Stegun table 9.8).
  const K1_AT_1 = 0.6019072301972346;
  it('hits the known values Z(2) = √(2π), Z(0) = π√2, Z(1) = 2e·K₁(1)', () => {
    expect(barronPartition(2)).toBeCloseTo(Math.sqrt(2 * Math.PI), 10);
    expect(barronPartition(0)).toBeCloseTo(Math.PI * Math.SQRT2, 10);
    expect(barronPartition(1)).toBeCloseTo(2 * Math.E * K1_AT_1, 10);
  });
  it('the table interpolates log Z to 1e-5 everywhere on [0, 2]', () => {
    let worst = 0;
    for (let a = 0.0007; a < 2; a += 0.0131)
      worst = Math.max(worst, Math.abs(logPartition(a) - Math.log(barronPartition(a))));
    expect(worst).toBeLessThan(1e-5);
  });
  it('the tensor version matches and differentiates in α', () => {
    const alphas = [0.001, 0.3, 1, 1.37, 1.999];
    const out = read(logPartitionTensor(tf.tensor1d(alphas)));
    alphas.forEach((a, i) => expect(Math.abs(out[i] - logPartition(a))).toBeLessThan(1e-5));
    const g = read(tf.grad((a: Tensor) => tf.sum(logPartitionTensor(a)))(tf.tensor1d(alphas)));
    alphas.forEach((a, i) => {
      const fd = (Math.log(barronPartition(a + 1e-4)) - Math.log(barronPartition(a - 1e-4))) / 2e-4;
      // d log Z/dα grows like log|α − 2| next to α = 2 (ρ has a |α−2|·log|α−2| term), which a cubic
      // between table nodes follows only roughly: 10 % there, 1e-3 elsewhere.
      expect(Math.abs(g[i] - fd)).toBeLessThan(a > 1.99 ? 0.1 * Math.abs(fd) : 1e-3);
    });
  });
  it('rejects α outside [0, 2], where Z is infinite or the family is not a density', () => {
    expect(() => barronPartition(-0.5)).toThrow(/alpha/);
  });
});

describe("Barron's adaptive loss", () => {
  it('is ρ(x, α, c) + log c + log Z(α) with α, c recovered from the latents', () => {
    const { alphaLatent, scaleLatent } = adaptiveLatents(1.2, 0.3);
    const al = tf.tensor2d([[alphaLatent]]);
    const sl = tf.tensor2d([[scaleLatent]]);
    expect(read(adaptiveAlpha(al))[0]).toBeCloseTo(1.2, 5);
    expect(read(adaptiveScale(sl))[0]).toBeCloseTo(0.3, 5);
    const xs = [-2, -0.1, 0, 0.4, 3];
    const out = read(barronAdaptiveNll(tf.tensor2d([xs]), al, sl));
    xs.forEach((x, i) => expect(out[i]).toBeCloseTo(barronRho(x, 1.2, 0.3) + Math.log(0.3) + logPartition(1.2), 4));
  });
  it('is a normalised density: ∫ exp(−NLL) dx = 1', () => {
    const alpha = 0.7;
    const c = 0.5;
    let integral = 0;
    const h = 0.01;
    for (let x = -4000; x <= 4000; x += h)
      integral += Math.exp(-(barronRho(x, alpha, c) + Math.log(c) + logPartition(alpha))) * h;
    expect(integral).toBeCloseTo(1, 3);
  });
  it('learns α and c: their gradients are finite and non-zero', () => {
    const al = tf.tensor2d([[0]]);
    const sl = tf.tensor2d([[0]]);
    const g = tf.grads((a: Tensor, s: Tensor) => tf.sum(barronAdaptiveNll(tf.tensor2d([[3, -2, 0.1, 8]]), a, s)))([
      al,
      sl,
    ]);
    for (const v of g.map(read).flat()) {
      expect(Number.isFinite(v)).toBe(true);
      expect(v).not.toBe(0);
    }
  });
});

describe('Lambert W', () => {
  it('solves w·eʷ = z on the principal branch, exactly at the branch point', () => {
    expect(lambertW(-1 / Math.E)).toBe(-1);
    expect(lambertW(0)).toBe(0);
    expect(lambertW(Math.E)).toBeCloseTo(1, 14);
    for (const z of [-0.3678, -0.3, -0.1, 0.01, 0.5, 1, 3, 10, 1e3, 1e8]) {
      const w = lambertW(z);
      expect(w).toBeGreaterThanOrEqual(-1);
      expect(Math.abs(w * Math.exp(w) - z)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(z)));
    }
  });
  it('the float32 tensor version agrees to 1e-5', () => {
    const zs = [-1 / Math.E, -0.36, -0.3, -0.2, 0, 0.2, 1, 2.99, 3.01, 50, 1e4];
    const out = read(lambertWTensor(tf.tensor1d(zs)));
    zs.forEach((z, i) =>
      expect(Math.abs(out[i] - lambertW(Math.max(z, -1 / Math.E)))).toBeLessThan(2e-5 * (1 + Math.abs(lambertW(z)))),
    );
  });
});

describe('SuperLoss (Castells et al. eq. 6–10)', () => {
  it('σ* = 1 where ℓ = τ, and σ* = e at and beyond the branch point', () => {
    expect(superlossSigma(2.5, 2.5, 0.7)).toBe(1);
    expect(superlossSigma(0, 10, 1)).toBeCloseTo(Math.E, 14);
    expect(superlossSigma(10 - (2 / Math.E) * 1, 10, 1)).toBeCloseTo(Math.E, 6);
  });
  it('σ* minimises σ(ℓ − τ) + λ(log σ)² (checked on a fine grid)', () => {
    for (const [l, tau, lambda] of [
      [3, 1, 0.5],
      [0.85, 1, 0.25],
      [10, 2, 4],
    ]) {
      let best = Infinity;
      let arg = 0;
      for (let s = 0.001; s < 5; s += 0.0005) {
        const v = s * (l - tau) + lambda * Math.log(s) ** 2;
        if (v < best) [best, arg] = [v, s];
      }
      expect(superlossSigma(l, tau, lambda)).toBeCloseTo(arg, 3);
      expect(superloss(l, tau, lambda)).toBeCloseTo(best, 6);
    }
  });
  it('tends to the input loss (minus τ) as λ → ∞ (their Lemma 1)', () => {
    for (const l of [0.1, 1, 7]) expect(superloss(l, 1, 1e9)).toBeCloseTo(l - 1, 6);
  });
  it('its gradient in ℓ is σ* (the envelope theorem), and the tensor version matches float64', () => {
    const losses = [0.1, 0.9, 1, 2, 6];
    const tau = 1;
    const lambda = 0.5;
    const l = tf.tensor1d(losses);
    const values = read(superlossTensor(l, tau, lambda));
    const sigmas = read(superlossSigmaTensor(l, tau, lambda));
    const g = read(tf.grad((v: Tensor) => tf.sum(superlossTensor(v, tau, lambda)))(l));
    losses.forEach((li, i) => {
      expect(values[i]).toBeCloseTo(superloss(li, tau, lambda), 4);
      expect(sigmas[i]).toBeCloseTo(superlossSigma(li, tau, lambda), 4);
      expect(g[i]).toBeCloseTo(superlossSigma(li, tau, lambda), 4);
    });
  });
});
