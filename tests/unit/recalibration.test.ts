// Post-hoc recalibration (issue 26): isotonic regression against a brute-force reference, σ scaling's closed form,
// Kuleshov et al.'s PIT map, the recalibrated kernel against the closed forms it must reduce to, and the
// Dawid–Sebastiani score by hand.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { kernelOf, uncertaintyMetrics, type Prediction } from '../../src/core/calibration';
import {
  fitRecalibration,
  fitSigmaScale,
  isotonicKernel,
  recalibratedMetrics,
  scaledPrediction,
} from '../../src/core/recalibrated';
import { fitPitMap, gaussianSigmaScale, isotonic, minimiseScale } from '../../src/core/recalibration';
import { normal, uniform } from '../../src/core/rng';
import { crpsGaussian, dawidSebastiani, gaussianNllAt } from '../../src/core/scores';

/** The isotonic fit by its min–max formula: ŷᵢ = max_{j ≤ i} min_{k ≥ i} (weighted mean of y_j … y_k). O(n³). */
function bruteIsotonic(y: number[], w: number[]): number[] {
  const n = y.length;
  const mean = (j: number, k: number) => {
    let s = 0;
    let ws = 0;
    for (let t = j; t <= k; t++) {
      s += w[t] * y[t];
      ws += w[t];
    }
    return s / ws;
  };
  return y.map((_, i) => {
    let best = -Infinity;
    for (let j = 0; j <= i; j++) {
      let m = Infinity;
      for (let k = i; k < n; k++) m = Math.min(m, mean(j, k));
      best = Math.max(best, m);
    }
    return best;
  });
}

describe('isotonic regression (pool-adjacent-violators)', () => {
  it('pools violators by hand: [1, 3, 2, 4] → [1, 2.5, 2.5, 4]; [3, 2, 1] → [2, 2, 2]; weights pull the pool', () => {
    expect(Array.from(isotonic([1, 3, 2, 4]))).toEqual([1, 2.5, 2.5, 4]);
    expect(Array.from(isotonic([3, 2, 1]))).toEqual([2, 2, 2]);
    // (3·1 + 1·3)/4 = 1.5
    expect(Array.from(isotonic([3, 1], [1, 3]))).toEqual([1.5, 1.5]);
    expect(Array.from(isotonic([]))).toEqual([]);
  });
  it('equals the brute-force min–max formula on any weighted sequence', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: 0.01, max: 10, noNaN: true })),
          { minLength: 1, maxLength: 30 },
        ),
        (pairs) => {
          const y = pairs.map((p) => p[0]);
          const w = pairs.map((p) => p[1]);
          const fit = isotonic(y, w);
          bruteIsotonic(y, w).forEach((v, i) => expect(fit[i]).toBeCloseTo(v, 8));
          for (let i = 1; i < fit.length; i++) expect(fit[i]).toBeGreaterThanOrEqual(fit[i - 1] - 1e-12);
        },
      ),
      { numRuns: 200, seed: 26 },
    );
  });
});

describe('σ scaling', () => {
  it('has the closed form s = √(mean z²): z = 1, −1, 2, −2 gives √2.5, and it is the NLL minimum', () => {
    const z = [1, -1, 2, -2];
    const s = gaussianSigmaScale(z);
    expect(s).toBeCloseTo(Math.sqrt(2.5), 14);
    const nll = (t: number) => z.reduce((acc, zi) => acc + gaussianNllAt(zi, 0, t), 0);
    expect(nll(s)).toBeLessThan(nll(s * 1.01));
    expect(nll(s)).toBeLessThan(nll(s / 1.01));
    expect(minimiseScale(nll)).toBeCloseTo(s, 6);
    expect(gaussianSigmaScale([0, 0])).toBe(1);
  });
  it('recovers a σ twice too small, and brings ±1σ coverage back to 68 %', () => {
    const n = 4000;
    const mu = new Float64Array(n);
    const sigma = new Float64Array(n).fill(1);
    const y = Float64Array.from({ length: n }, (_, i) => 2 * normal(7, 1, i));
    const pred: Prediction = { kind: 'gaussian', mu, sigma };
    const s = fitSigmaScale(pred, y);
    expect(Math.abs(s - 2)).toBeLessThan(0.06);
    const before = uncertaintyMetrics(pred, y).coverage[0].observed;
    const after = recalibratedMetrics({ kind: 'scale', scale: s }, pred, y).coverage[0].observed;
    expect(before).toBeLessThan(0.45);
    expect(Math.abs(after - 0.6827)).toBeLessThan(0.02);
  });
  it('finds the Student-t scale where the NLL’s derivative in s is zero', () => {
    const n = 500;
    const pred: Prediction = { kind: 'student-t', mu: new Float64Array(n), scale: new Float64Array(n).fill(1), nu: 4 };
    const y = Float64Array.from({ length: n }, (_, i) => 3 * normal(3, 1, i));
    const s = fitSigmaScale(pred, y);
    const f = (t: number) => {
      const k = kernelOf(scaledPrediction(pred, t), n);
      let sum = 0;
      for (let i = 0; i < n; i++) sum += k.nll(i, y[i]);
      return sum;
    };
    const h = 1e-4;
    expect(Math.abs((f(s * (1 + h)) - f(s * (1 - h))) / (2 * h))).toBeLessThan(1e-3 * n);
    expect(s).toBeGreaterThan(2);
  });
});

describe("Kuleshov et al.'s PIT map", () => {
  it('is close to the identity for uniform PITs, and strictly increasing from (0, 0) to (1, 1)', () => {
    const map = fitPitMap(Float64Array.from({ length: 999 }, (_, i) => (i + 1) / 1000));
    for (const p of [0.05, 0.3, 0.5, 0.9]) expect(Math.abs(map.apply(p) - p)).toBeLessThan(0.003);
    expect(map.apply(0)).toBe(0);
    expect(map.apply(1)).toBe(1);
    for (let j = 1; j < map.knotsR.length; j++) expect(map.knotsR[j]).toBeGreaterThan(map.knotsR[j - 1]);
    expect(map.inverse(map.apply(0.37))).toBeCloseTo(0.37, 12);
  });
  it('maps an underconfident model’s PITs (bunched near ½) onto the uniform: R(0.4) ≈ 0, R(0.6) ≈ 1', () => {
    const pits = Float64Array.from({ length: 500 }, (_, i) => 0.4 + (0.2 * (i + 0.5)) / 500);
    const map = fitPitMap(pits);
    expect(map.apply(0.4)).toBeLessThan(0.01);
    expect(map.apply(0.5)).toBeCloseTo(0.5, 2);
    expect(map.apply(0.6)).toBeGreaterThan(0.99);
  });
  it('takes ties at the share of their last copy', () => {
    const map = fitPitMap([0.5, 0.5, 0.5, 0.5]);
    expect(map.apply(0.5)).toBeCloseTo(1, 2);
  });
});

describe('the recalibrated kernel', () => {
  const n = 300;
  const mu = Float64Array.from({ length: n }, (_, i) => Math.sin(i));
  const sigma = Float64Array.from({ length: n }, (_, i) => 0.5 + uniform(1, 1, i));
  const y = Float64Array.from({ length: n }, (_, i) => mu[i] + sigma[i] * normal(1, 2, i));
  const pred: Prediction = { kind: 'gaussian', mu, sigma };
  const identity = fitPitMap(Float64Array.from({ length: 9999 }, (_, i) => (i + 1) / 10000));

  it('reduces to the Gaussian under the identity map: CRPS within 0.5 %, NLL within 0.01, mean and σ within 1 %', () => {
    const k = isotonicKernel(pred, identity, n);
    for (const i of [0, 17, 123]) {
      expect(Math.abs(k.crps(i, y[i]) / crpsGaussian(y[i], mu[i], sigma[i]) - 1)).toBeLessThan(0.005);
      expect(Math.abs(k.nll(i, y[i]) - gaussianNllAt(y[i], mu[i], sigma[i]))).toBeLessThan(0.01);
      expect(Math.abs(k.mean(i) - mu[i])).toBeLessThan(0.01 * sigma[i]);
      expect(Math.abs(k.std(i) / sigma[i] - 1)).toBeLessThan(0.01);
    }
  });
  it('recalibrates a band three times too wide on its own calibration share: miscalibration area from > 0.15 to < 0.02', () => {
    const wide: Prediction = scaledPrediction(pred, 3);
    const before = uncertaintyMetrics(wide, y);
    const iso = recalibratedMetrics(fitRecalibration('isotonic', wide, y), wide, y);
    const scale = recalibratedMetrics(fitRecalibration('scale', wide, y), wide, y);
    expect(before.miscalibrationArea).toBeGreaterThan(0.15);
    expect(iso.miscalibrationArea).toBeLessThan(0.02);
    expect(scale.miscalibrationArea).toBeLessThan(0.03);
    expect(iso.nll).toBeLessThan(before.nll);
    expect(iso.crps).toBeLessThan(before.crps);
    expect(Number.isFinite(iso.dss)).toBe(true);
  });
});

describe('Dawid–Sebastiani', () => {
  it('is ((y − m)/s)² + 2 log s: y = 3, m = 1, s = 2 gives 1 + 2 log 2', () => {
    expect(dawidSebastiani(3, 1, 2)).toBeCloseTo(1 + 2 * Math.log(2), 14);
    expect(dawidSebastiani(3, 1, Infinity)).toBe(Infinity);
    // For a Gaussian it is 2·(NLL − ½ log 2π).
    expect(dawidSebastiani(0.3, -0.2, 0.7)).toBeCloseTo(
      2 * (gaussianNllAt(0.3, -0.2, 0.7) - 0.5 * Math.log(2 * Math.PI)),
      12,
    );
  });
});
