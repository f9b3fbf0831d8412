// Invariants that must hold for every input, checked with fast-check.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { tf } from '../../src/core/tf';
import { barronRho, boltzmannWeights, gaussianNll, gradientWeights } from '../../src/core/losses';
import { DATASET_IDS, makePoints, OUTLIER_KINDS, type DataSpec } from '../../src/core/datasets';

const RUNS = { numRuns: 60, seed: 20261123 };

describe('Boltzmann weights', () => {
  it('are a finite probability vector for residuals up to 1e6, variances down to 1e-8 and any T in [1e-3, 1e6]', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.tuple(fc.double({ min: -1e6, max: 1e6, noNaN: true }), fc.double({ min: 1e-8, max: 1e4, noNaN: true })),
          { minLength: 1, maxLength: 64 },
        ),
        fc.double({ min: -3, max: 6, noNaN: true }),
        (samples, logT) => {
          const T = 10 ** logT;
          const [w, a] = tf.tidy(() => {
            const losses = gaussianNll(
              tf.zeros([samples.length]),
              tf.tensor1d(samples.map((s) => s[1])),
              tf.tensor1d(samples.map((s) => s[0])),
            );
            return [boltzmannWeights(losses, 1 / T).dataSync(), gradientWeights(losses, 1 / T).dataSync()];
          });
          expect(Array.from(w).every((v) => Number.isFinite(v) && v >= 0 && v <= 1)).toBe(true);
          expect(Array.from(a).every(Number.isFinite)).toBe(true);
          expect(Math.abs(Array.from(w).reduce((s, v) => s + v, 0) - 1)).toBeLessThan(1e-4);
        },
      ),
      RUNS,
    );
  });
});

describe("Barron's ρ", () => {
  const alpha = fc.oneof(fc.double({ min: -10, max: 2, noNaN: true }), fc.constantFrom(-Infinity, 0, 1, 2, -2));
  const scale = fc.double({ min: 1e-3, max: 1e3, noNaN: true });
  it('is 0 at 0, even, and non-decreasing in |x|', () => {
    fc.assert(
      fc.property(
        alpha,
        scale,
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        fc.double({ min: 0, max: 1e4, noNaN: true }),
        (a, c, u, v) => {
          expect(barronRho(0, a, c)).toBe(0);
          expect(barronRho(-u, a, c)).toBe(barronRho(u, a, c));
          const [lo, hi] = u <= v ? [u, v] : [v, u];
          expect(barronRho(hi, a, c)).toBeGreaterThanOrEqual(barronRho(lo, a, c) * (1 - 1e-12));
        },
      ),
      RUNS,
    );
  });
});

describe('datasets', () => {
  const spec = fc.record({
    dataset: fc.constantFrom(...DATASET_IDS),
    n: fc.integer({ min: 2, max: 300 }),
    seed: fc.integer({ min: -1000, max: 1000 }),
    outlierRate: fc.double({ min: 0, max: 0.9, noNaN: true }),
    outlierKind: fc.constantFrom(...OUTLIER_KINDS),
    outlierScale: fc.double({ min: 0, max: 20, noNaN: true }),
    noise: fc.double({ min: 0, max: 3, noNaN: true }),
  }) as fc.Arbitrary<DataSpec>;

  it('are reproducible per seed', () => {
    fc.assert(
      fc.property(spec, (s) => {
        expect(makePoints(s)).toEqual(makePoints({ ...s }));
      }),
      RUNS,
    );
  });

  it('outlier sets nest as the rate grows, and the other points do not move', () => {
    fc.assert(
      fc.property(spec, fc.double({ min: 0, max: 0.9, noNaN: true }), (s, other) => {
        const [lo, hi] = s.outlierRate <= other ? [s.outlierRate, other] : [other, s.outlierRate];
        const a = makePoints({ ...s, outlierRate: lo });
        const b = makePoints({ ...s, outlierRate: hi });
        expect(a.x).toEqual(b.x);
        a.isOutlier.forEach((o, i) => {
          if (o) {
            expect(b.isOutlier[i]).toBe(1);
            expect(b.y[i]).toBe(a.y[i]);
          } else if (!b.isOutlier[i]) expect(b.y[i]).toBe(a.y[i]);
        });
      }),
      RUNS,
    );
  });
});
