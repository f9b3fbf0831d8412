// Split conformal (issue 26): the finite-sample rank and q̂ by hand, the infinite-interval guard, coverage along x,
// and the guarantee itself: on exchangeable data a new target is covered with probability exactly k/(n + 1) ≥ 1 − α
// for continuous scores, whatever the model — checked over many seeded replicates within the binomial's bounds.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  bandCoverage,
  conformalHalfWidth,
  conformalQuantile,
  conformalRank,
  coverageAlongX,
  minCalibrationSize,
  splitConformal,
  type ConformalScore,
} from '../../src/core/conformal';
import { normal, uniform } from '../../src/core/rng';

describe('the conformal rank ⌈(n + 1)(1 − α)⌉', () => {
  it('is worked out by hand for a few n and α', () => {
    // n = 9, α = 0.1: ⌈10 × 0.9⌉ = 9 (exactly 9, not 9.000000000000002 rounded up to 10).
    expect(conformalRank(9, 0.1)).toBe(9);
    // n = 19, α = 0.1: ⌈20 × 0.9⌉ = 18; n = 20: ⌈21 × 0.9⌉ = ⌈18.9⌉ = 19.
    expect(conformalRank(19, 0.1)).toBe(18);
    expect(conformalRank(20, 0.1)).toBe(19);
    // n = 8, α = 0.1: ⌈8.1⌉ = 9 > 8: the interval is infinite.
    expect(conformalRank(8, 0.1)).toBe(9);
    // n = 99, α = 0.05: ⌈100 × 0.95⌉ = 95; n = 100: ⌈95.95⌉ = 96.
    expect(conformalRank(99, 0.05)).toBe(95);
    expect(conformalRank(100, 0.05)).toBe(96);
  });
  it('gives the smallest calibration set with a finite interval: 9 at 90 %, 19 at 95 %, 1 at 50 %', () => {
    expect(minCalibrationSize(0.1)).toBe(9);
    expect(minCalibrationSize(0.05)).toBe(19);
    expect(minCalibrationSize(0.5)).toBe(1);
    for (const a of [0.01, 0.05, 0.1, 0.2, 0.25, 0.37, 0.5]) {
      const n = minCalibrationSize(a);
      expect(conformalRank(n, a)).toBeLessThanOrEqual(n);
      if (n > 0) expect(conformalRank(n - 1, a)).toBeGreaterThan(n - 1);
    }
  });
  it('rejects α outside (0, 1), NaN included, naming the argument', () => {
    for (const a of [0, 1, -0.1, NaN]) expect(() => conformalRank(10, a)).toThrow(/invalid alpha/);
    expect(() => conformalRank(2.5, 0.1)).toThrow(/invalid n/);
  });
});

describe('q̂ and the band', () => {
  it('is the k-th smallest score: scores 1…10, α = 0.1 → k = 10, q̂ = 10; α = 0.2 → k = 9, q̂ = 9', () => {
    const scores = [5, 1, 4, 2, 3, 10, 9, 8, 7, 6];
    expect(conformalQuantile(scores, 0.1)).toBe(10);
    expect(conformalQuantile(scores, 0.2)).toBe(9);
    expect(conformalQuantile(scores.slice(0, 8), 0.1)).toBe(Infinity);
  });
  it('fits |y − μ̂| and |y − μ̂|/σ̂ and says the Gaussian z beside it', () => {
    const cal = {
      mu: new Array(10).fill(0),
      sigma: [1, 1, 1, 1, 1, 2, 2, 2, 2, 2],
      y: [1, -2, 3, -4, 5, 6, -7, 8, 9, -10],
    };
    const abs = splitConformal('abs', 0.8, cal);
    expect([abs.n, abs.k, abs.q]).toEqual([10, 9, 9]);
    // σ-normalised: 1, 2, 3, 4, 5, 3, 3.5, 4, 4.5, 5 → sorted 1, 2, 3, 3, 3.5, 4, 4, 4.5, 5, 5; the 9th is 5.
    const norm = splitConformal('normalised', 0.8, cal);
    expect(norm.q).toBe(5);
    expect(conformalHalfWidth(norm, 2)).toBe(10);
    expect(conformalHalfWidth(abs, 2)).toBe(9);
    expect(abs.z).toBeCloseTo(1.2815515655446004, 12);
    expect(splitConformal('abs', 0.9, cal).z).toBeCloseTo(1.6448536269514722, 12);
  });
  it('sorts a non-finite score (σ̂ = 0) last, so it can only make the band infinite', () => {
    const fit = splitConformal('normalised', 0.5, { mu: [0, 0, 0], sigma: [1, 0, 1], y: [1, 1, 2] });
    // scores 1, ∞, 2; k = ⌈4 × 0.5⌉ = 2 → 2.
    expect(fit.q).toBe(2);
  });
});

describe('coverage along x', () => {
  it('bins the targets and counts those inside the band per bin', () => {
    const x = [0, 0.5, 1, 1.5, 2, 2.5, 3, 3.9];
    const set = { mu: new Array(8).fill(0), sigma: new Array(8).fill(1), y: [0.1, 2, 0.2, 0.3, 5, 5, 0, 0] };
    const c = coverageAlongX(x, set, () => 1, 2, [0, 4]);
    expect(c.edges).toEqual([0, 2, 4]);
    expect(c.counts).toEqual([4, 4]);
    expect(c.share).toEqual([0.75, 0.5]);
    expect(bandCoverage(() => 1, set)).toBe(5 / 8);
    expect(coverageAlongX(x, set, () => 1, 3, [10, 13]).share.filter(Number.isNaN).length).toBe(2);
  });
});

describe('the split-conformal guarantee', () => {
  it('covers a new exchangeable target with probability k/(n + 1) ≥ 1 − α, for any model, within the binomial’s bounds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 5, max: 60 }),
        fc.constantFrom(0.05, 0.1, 0.2, 0.3),
        fc.constantFrom<ConformalScore>('abs', 'normalised'),
        fc.integer({ min: 0, max: 1e6 }),
        fc.double({ min: -2, max: 2, noNaN: true }),
        fc.double({ min: 0.1, max: 3, noNaN: true }),
        (n, alpha, score, seed, bias, sigmaScale) => {
          const R = 400;
          const k = conformalRank(n, alpha);
          // Heteroscedastic, heavy-tailed targets against a biased model with the wrong σ̂: only exchangeability is used.
          const draw = (r: number, i: number) => {
            const x = uniform(seed, 1, r, i) * 4;
            const e = normal(seed, 2, r, i) / Math.sqrt(-2 * Math.log(uniform(seed, 3, r, i)));
            return {
              x,
              y: Math.sin(x) + (0.2 + 0.5 * x) * e,
              mu: Math.sin(x) + bias,
              sigma: sigmaScale * (1 + 0.3 * x),
            };
          };
          let covered = 0;
          for (let r = 0; r < R; r++) {
            const cal = Array.from({ length: n }, (_, i) => draw(r, i));
            const fit = splitConformal(score, 1 - alpha, {
              mu: cal.map((c) => c.mu),
              sigma: cal.map((c) => c.sigma),
              y: cal.map((c) => c.y),
            });
            const t = draw(r, n);
            if (Math.abs(t.y - t.mu) <= conformalHalfWidth(fit, t.sigma)) covered++;
          }
          const p = k > n ? 1 : k / (n + 1);
          expect(p).toBeGreaterThanOrEqual(1 - alpha - 1e-12);
          // 4.5 binomial standard deviations: a false alarm once in ~3·10⁵ cases.
          const slack = 4.5 * Math.sqrt(R * p * (1 - p)) + 1;
          expect(Math.abs(covered - R * p)).toBeLessThanOrEqual(slack);
        },
      ),
      { numRuns: 40, seed: 26 },
    );
  });
});
