// Uncertainty metrics (issue 14): the distributions against closed forms, each score against its definition by
// numerical integration or by hand, and calibration of targets drawn from the predicted distribution itself.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { erfc, normalCdf, normalQuantile, studentTCdf, studentTQuantile } from '../../src/core/distributions';
import {
  ensembleMoments,
  mixtureCdf,
  mixtureCrps,
  mixtureQuantile,
  type GaussianMixture,
} from '../../src/core/ensemble';
import { crpsGaussian, crpsStudentT, intervalScore } from '../../src/core/scores';
import { uncertaintyMetrics, type Prediction, type UncertaintyMetrics } from '../../src/core/calibration';
import { normal, uniform } from '../../src/core/rng';

const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);

/** ∫(F(x) − 1{x ≥ y})² dx, split at y, with x = y ∓ eᵗ and the trapezoid rule in t (both halves decay fast). */
function crpsByIntegration(F: (x: number) => number, y: number): number {
  const dt = 0.005;
  let s = 0;
  for (let t = -35; t <= 35; t += dt) {
    const e = Math.exp(t);
    s += (F(y - e) ** 2 + (1 - F(y + e)) ** 2) * e;
  }
  return s * dt;
}

describe('distributions', () => {
  it('erfc hits tabulated values to 1e-13 relative, far into the tail', () => {
    const table: [number, number][] = [
      [0.5, 0.4795001221869535],
      [1, 0.15729920705028513],
      [2, 0.004677734981047265],
      [3, 2.2090496998585438e-5],
      [10, 2.088487583762545e-45],
    ];
    for (const [x, v] of table) expect(rel(erfc(x), v)).toBeLessThan(1e-13);
    expect(erfc(-1)).toBeCloseTo(2 - 0.15729920705028513, 15);
  });
  it('Φ⁻¹ inverts Φ to rounding from 1e-300 to 1 − 1e-12, and Φ⁻¹(0.975) = 1.959963984540054', () => {
    for (const p of [1e-300, 1e-20, 1e-6, 0.025, 0.3, 0.5, 0.7, 0.975, 1 - 1e-12]) {
      const z = normalQuantile(p);
      // Φ's relative slope is |z|, so one rounding of z moves Φ(z) by about z²·1e-16 relative (1.4e-13 at p = 1e-300).
      if (p < 0.5) expect(rel(normalCdf(z), p)).toBeLessThan(1e-15 * (10 + z * z));
      else expect(Math.abs(normalCdf(z) - p)).toBeLessThanOrEqual(4e-16);
    }
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
  });
  it('the Student-t CDF and quantile match the closed forms for ν = 1, 2, 3', () => {
    const closed: [number, (t: number) => number, (p: number) => number][] = [
      [1, (t) => 0.5 + Math.atan(t) / Math.PI, (p) => -1 / Math.tan(Math.PI * p)],
      [2, (t) => 0.5 + t / (2 * Math.sqrt(2 + t * t)), (p) => (2 * p - 1) / Math.sqrt(2 * p * (1 - p))],
      [
        3,
        (t) => 0.5 + (t / (Math.sqrt(3) * (1 + (t * t) / 3)) + Math.atan(t / Math.sqrt(3))) / Math.PI,
        (p) => studentTQuantile(p, 3),
      ],
    ];
    for (const [nu, cdf, quantile] of closed) {
      for (const t of [-30, -2.5, -0.4, 0, 0.01, 1, 7])
        expect(Math.abs(studentTCdf(t, nu) - cdf(t))).toBeLessThan(1e-14);
      for (const p of [1e-9, 0.025, 0.2, 0.5, 0.84, 0.975]) {
        const q = studentTQuantile(p, nu);
        expect(Math.abs(q - quantile(p))).toBeLessThan(1e-12 * (1 + Math.abs(q)));
        expect(rel(studentTCdf(q, nu), p)).toBeLessThan(1e-12);
      }
    }
  });
  it('the Student-t CDF tends to Φ as ν → ∞ (the gap shrinks like 1/ν)', () => {
    for (const t of [-3, -1, 0.3, 2]) {
      expect(Math.abs(studentTCdf(t, 1e4) - normalCdf(t))).toBeLessThan(1e-4);
      expect(Math.abs(studentTCdf(t, 1e7) - normalCdf(t))).toBeLessThan(1e-7);
    }
  });
});

describe('CRPS', () => {
  it('of N(0, 1) at 0 is 2φ(0) − 1/√π = (√2 − 1)/√π, and scales with σ', () => {
    expect(crpsGaussian(0, 0, 1)).toBeCloseTo((Math.SQRT2 - 1) / Math.sqrt(Math.PI), 15);
    expect(crpsGaussian(3 + 2 * 0.7, 3, 2)).toBeCloseTo(2 * crpsGaussian(0.7, 0, 1), 14);
  });
  it('Gaussian and Student-t (ν = 1.5, 3, 5) closed forms equal ∫(F − 1{x ≥ y})² dx', () => {
    for (const y of [-4, -0.3, 0, 1.2, 7]) {
      expect(
        Math.abs(crpsGaussian(y, 0.4, 1.7) - crpsByIntegration((x) => normalCdf((x - 0.4) / 1.7), y)),
      ).toBeLessThan(1e-12);
      for (const nu of [1.5, 3, 5]) {
        const closed = crpsStudentT(y, 0.4, 1.7, nu);
        expect(Math.abs(closed - crpsByIntegration((x) => studentTCdf((x - 0.4) / 1.7, nu), y))).toBeLessThan(1e-12);
      }
    }
  });
  it('Student-t tends to the Gaussian as ν → ∞ and is infinite for ν ≤ 1', () => {
    for (const y of [-2, 0, 0.7, 5])
      expect(Math.abs(crpsStudentT(y, 0, 1, 1e7) - crpsGaussian(y, 0, 1))).toBeLessThan(1e-7);
    expect(Math.abs(crpsStudentT(0.7, 0, 1, 1e3) - crpsGaussian(0.7, 0, 1))).toBeGreaterThan(1e-5);
    expect(crpsStudentT(0, 0, 1, 1)).toBe(Infinity);
  });
  it('of a Gaussian mixture (Grimit et al.) equals the integral, and equals the Gaussian for identical members', () => {
    const mix: GaussianMixture = {
      mus: [[0], [2], [-1]].map((a) => Float64Array.from(a)),
      sigmas: [[1], [0.3], [2]].map((a) => Float64Array.from(a)),
    };
    for (const y of [-3, 0, 1, 2.5, 9])
      expect(Math.abs(mixtureCrps(mix, 0, y) - crpsByIntegration((x) => mixtureCdf(mix, 0, x), y))).toBeLessThan(1e-12);
    const same: GaussianMixture = {
      mus: [[0.5], [0.5]].map((a) => Float64Array.from(a)),
      sigmas: [[1.3], [1.3]].map((a) => Float64Array.from(a)),
    };
    expect(mixtureCrps(same, 0, 2)).toBeCloseTo(crpsGaussian(2, 0.5, 1.3), 14);
  });
});

describe('interval score and ensemble moments', () => {
  it('the 95 % interval score by hand: width, plus 2/α = 40 times the miss', () => {
    expect(intervalScore(-1, 1, 0, 0.05)).toBe(2);
    expect(intervalScore(-1, 1, 3, 0.05)).toBeCloseTo(2 + 40 * 2, 12);
    expect(intervalScore(-1, 1, -1.5, 0.05)).toBeCloseTo(2 + 40 * 0.5, 12);
  });
  it('aleatoric = mean σ², epistemic = population variance of μ, total = the mixture variance E[y²] − E[y]²', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1e3, max: 1e3, noNaN: true }), fc.double({ min: 1e-3, max: 1e2, noNaN: true })),
          { minLength: 1, maxLength: 8 },
        ),
        (members) => {
          const mix: GaussianMixture = {
            mus: members.map(([m]) => Float64Array.of(m)),
            sigmas: members.map(([, s]) => Float64Array.of(s)),
          };
          const M = members.length;
          const { mean, aleatoric, epistemic, total } = ensembleMoments(mix);
          const mu = members.reduce((s, [m]) => s + m, 0) / M;
          const secondMoment = members.reduce((s, [m, sd]) => s + m * m + sd * sd, 0) / M;
          const scale = secondMoment + 1;
          expect(Math.abs(mean[0] - mu)).toBeLessThanOrEqual(1e-12 * (1 + Math.abs(mu)));
          expect(aleatoric[0]).toBeCloseTo(members.reduce((s, [, sd]) => s + sd * sd, 0) / M, 8);
          expect(Math.abs(epistemic[0] - members.reduce((s, [m]) => s + (m - mu) ** 2, 0) / M)).toBeLessThanOrEqual(
            1e-12 * scale,
          );
          expect(Math.abs(total[0] - (secondMoment - mu * mu))).toBeLessThanOrEqual(1e-10 * scale);
        },
      ),
      { numRuns: 200, seed: 14 },
    );
  });
  it('the mixture quantile inverts the mixture CDF', () => {
    const mix: GaussianMixture = {
      mus: [[0], [5]].map((a) => Float64Array.from(a)),
      sigmas: [[1], [0.5]].map((a) => Float64Array.from(a)),
    };
    for (const p of [1e-6, 0.025, 0.3, 0.5, 0.9, 0.975])
      expect(Math.abs(mixtureCdf(mix, 0, mixtureQuantile(mix, 0, p)) - p)).toBeLessThan(1e-13);
  });
});

describe('uncertaintyMetrics', () => {
  it('a hand-worked Gaussian example: coverage, PIT, calibration curve, sharpness, NLL, interval score', () => {
    const y = [0, 0.5, -1.5, 2.5, 3.5];
    const m = uncertaintyMetrics({ kind: 'gaussian', mu: new Float64Array(5), sigma: new Float64Array(5).fill(1) }, y, {
      levels: 4,
    });
    expect(m.coverage.map((c) => c.observed)).toEqual([2 / 5, 3 / 5, 4 / 5]);
    expect(m.coverage.map((c) => c.nominal.toFixed(4))).toEqual(['0.6827', '0.9545', '0.9973']);
    // PIT: Φ(−1.5) = 0.067, Φ(0) = 0.5, Φ(0.5) = 0.69, Φ(2.5) = 0.9938, Φ(3.5) = 0.9998.
    expect(m.pitHistogram.map((v) => v * 5)).toEqual([1, 0, 0, 0, 0, 1, 1, 0, 0, 2]);
    // Levels 0.2, 0.4, 0.6, 0.8 see 1, 1, 2, 3 of 5 PIT values below them: |error| 0, 0.2, 0.2, 0.2.
    expect(m.calibration.levels).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(m.calibration.observed).toEqual([0.2, 0.2, 0.4, 0.6]);
    expect(m.miscalibrationArea).toBeCloseTo(0.15, 14);
    expect(m.rmsCalibrationError).toBeCloseTo(Math.sqrt(0.03), 14);
    expect(m.sharpness).toBe(1);
    expect(m.meanHalfWidth68).toBeCloseTo(1, 12);
    expect(m.nll).toBeCloseTo(y.reduce((s, v) => s + 0.5 * Math.log(2 * Math.PI) + 0.5 * v * v, 0) / 5, 14);
    // Interval ±1.96: 2.5 misses by 0.540, 3.5 by 1.540.
    const w = 2 * 1.959963984540054;
    expect(m.intervalScore95).toBeCloseTo((5 * w + 40 * (2.5 - w / 2) + 40 * (3.5 - w / 2)) / 5, 10);
    expect(m.coverage95).toBe(3 / 5);
    expect(m.crps).toBeCloseTo(y.reduce((s, v) => s + crpsGaussian(v, 0, 1), 0) / 5, 14);
    expect(m.ensemble).toBeUndefined();
  });

  it('a Student-t reports its own quantiles, its std as sharpness (Infinity for ν ≤ 2) and tends to the Gaussian', () => {
    const mu = Float64Array.of(0, 1, -2);
    const scale = Float64Array.of(1, 2, 0.5);
    // Moderate z = (y − μ)/s: the NLLs of t_ν and N differ by about z⁴/(4ν), 1e-5 at z = 14 even for ν = 10⁸.
    const y = [0.3, -1, -1.2];
    const t = uncertaintyMetrics({ kind: 'student-t', mu, scale, nu: 4 }, y);
    expect(t.sharpness).toBeCloseTo((3.5 * Math.SQRT2) / 3, 14);
    expect(t.meanHalfWidth68).toBeCloseTo((3.5 * studentTQuantile(0.5 + 0.6826894921370859 / 2, 4)) / 3, 12);
    expect(uncertaintyMetrics({ kind: 'student-t', mu, scale, nu: 2 }, y).sharpness).toBe(Infinity);
    const big = uncertaintyMetrics({ kind: 'student-t', mu, scale, nu: 1e8 }, y);
    const g = uncertaintyMetrics({ kind: 'gaussian', mu, sigma: scale }, y);
    for (const key of ['crps', 'nll', 'intervalScore95', 'sharpness', 'meanHalfWidth68'] as const)
      expect(Math.abs(big[key] - g[key])).toBeLessThan(1e-6);
    expect(big.calibration.observed).toEqual(g.calibration.observed);
  });

  it('an ensemble of identical members gives the Gaussian figures; the variance split is reported', () => {
    const mu = Float64Array.of(0, 1, -2, 4);
    const sigma = Float64Array.of(1, 2, 0.5, 3);
    const y = [0.3, -1, 5, 4.2];
    const g = uncertaintyMetrics({ kind: 'gaussian', mu, sigma }, y);
    const e = uncertaintyMetrics({ kind: 'mixture', mus: [mu, mu, mu], sigmas: [sigma, sigma, sigma] }, y);
    for (const key of ['crps', 'nll', 'intervalScore95', 'sharpness', 'meanHalfWidth68', 'miscalibrationArea'] as const)
      expect(e[key]).toBeCloseTo(g[key], 10);
    expect(e.ensemble).toEqual({ meanAleatoric: (1 + 4 + 0.25 + 9) / 4, meanEpistemic: 0 });
  });

  it('rejects mismatched lengths and non-positive σ, naming the argument', () => {
    expect(() => uncertaintyMetrics({ kind: 'gaussian', mu: [0, 1], sigma: [1] }, [0, 1])).toThrow(/sigma; length 1/);
    expect(() => uncertaintyMetrics({ kind: 'gaussian', mu: [0], sigma: [0] }, [0])).toThrow(/sigma\[0\]/);
    expect(() => uncertaintyMetrics({ kind: 'student-t', mu: [0], scale: [1], nu: 0 }, [0])).toThrow(/nu/);
    expect(() => uncertaintyMetrics({ kind: 'gaussian', mu: [0], sigma: [1] }, [NaN])).toThrow(/y\[0\]/);
  });
});

describe('targets drawn from the predicted distribution are calibrated', () => {
  const N = 1500;
  /** |observed − nominal| within 4.5 binomial standard deviations (two-sided 7e-6 per check). */
  const within = (observed: number, p: number, n: number) =>
    Math.abs(observed - p) <= 4.5 * Math.sqrt((p * (1 - p)) / n);
  const check = (m: UncertaintyMetrics) => {
    for (const c of m.coverage) expect(within(c.observed, c.nominal, m.n)).toBe(true);
    expect(within(m.coverage95, 0.95, m.n)).toBe(true);
    for (const share of m.pitHistogram) expect(within(share, 0.1, m.n)).toBe(true);
    // The largest gap of an empirical CDF from uniform (Kolmogorov) is below 1.95/√n with probability 0.999.
    expect(Math.max(...m.calibration.observed.map((o, j) => Math.abs(o - m.calibration.levels[j])))).toBeLessThan(
      1.95 / Math.sqrt(m.n),
    );
  };
  const seed = fc.integer({ min: 0, max: 2 ** 31 - 1 });

  it('Gaussian: coverage, 95 % interval and PIT within binomial bounds', () => {
    fc.assert(
      fc.property(seed, (s) => {
        const mu = Float64Array.from({ length: N }, (_, i) => 10 * (uniform(s, 1, i) - 0.5));
        const sigma = Float64Array.from({ length: N }, (_, i) => Math.exp(3 * (uniform(s, 2, i) - 0.5)));
        const y = mu.map((m, i) => m + sigma[i] * normal(s, 3, i));
        check(uncertaintyMetrics({ kind: 'gaussian', mu, sigma }, y));
      }),
      { numRuns: 6, seed: 1401 },
    );
  });

  it('Student-t (ν = 1, 2, 3, 5): draws T = Z/√(χ²_ν/ν) are covered by its own quantiles', () => {
    fc.assert(
      fc.property(seed, fc.constantFrom(1, 2, 3, 5), (s, nu) => {
        const mu = Float64Array.from({ length: N }, (_, i) => 10 * (uniform(s, 1, i) - 0.5));
        const scale = Float64Array.from({ length: N }, (_, i) => Math.exp(3 * (uniform(s, 2, i) - 0.5)));
        const y = mu.map((m, i) => {
          let chi2 = 0;
          for (let d = 0; d < nu; d++) chi2 += normal(s, 4, i, d) ** 2;
          return m + (scale[i] * normal(s, 3, i)) / Math.sqrt(chi2 / nu);
        });
        check(uncertaintyMetrics({ kind: 'student-t', mu, scale, nu }, y));
      }),
      { numRuns: 6, seed: 1402 },
    );
  });

  it('Gaussian mixture (M = 2…5): a member drawn uniformly, then its Gaussian', () => {
    fc.assert(
      fc.property(seed, fc.integer({ min: 2, max: 5 }), (s, M) => {
        const n = 800;
        const mus = Array.from({ length: M }, (_, m) =>
          Float64Array.from({ length: n }, (_, i) => 4 * normal(s, 10 + m, i)),
        );
        const sigmas = Array.from({ length: M }, (_, m) =>
          Float64Array.from({ length: n }, (_, i) => Math.exp(2 * (uniform(s, 20 + m, i) - 0.5))),
        );
        const y = Float64Array.from({ length: n }, (_, i) => {
          const m = Math.floor(uniform(s, 5, i) * M);
          return mus[m][i] + sigmas[m][i] * normal(s, 3, i);
        });
        const metrics = uncertaintyMetrics({ kind: 'mixture', mus, sigmas }, y);
        check(metrics);
        expect(metrics.ensemble!.meanEpistemic).toBeGreaterThan(0);
      }),
      { numRuns: 6, seed: 1403 },
    );
  });

  it('an overconfident Gaussian (σ halved) fails: too few inside, a ∪-shaped PIT histogram', () => {
    const mu = new Float64Array(N);
    const y = mu.map((_, i) => normal(7, 3, i));
    const m = uncertaintyMetrics(
      { kind: 'gaussian', mu, sigma: new Float64Array(N).fill(0.5) } satisfies Prediction,
      y,
    );
    expect(m.coverage[0].observed).toBeLessThan(0.45);
    expect(m.pitHistogram[0] + m.pitHistogram[9]).toBeGreaterThan(0.4);
    expect(m.miscalibrationArea).toBeGreaterThan(0.1);
  });
});
