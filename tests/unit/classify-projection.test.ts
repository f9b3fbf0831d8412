// The embedding view's basis: exact axes at D = 2; for D > 2 the principal directions, against data built
// with known directions and variances.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { embeddingBasis, projectRows, projectSigma } from '../../src/core/classify/projection';

describe('embedding basis', () => {
  it('D = 2 is the embedding itself', () => {
    const b = embeddingBasis([1, 2, 3, 4], 2);
    expect(b.projected).toBe(false);
    expect(Array.from(projectRows([1, 2, 3, 4], 2, b))).toEqual([1, 2, 3, 4]);
    expect(Array.from(projectSigma([0.5, 2, 1, 1], 2, b))).toEqual([0.5, 2, 1, 1]);
  });

  it('D = 4: points spread 3 : 1 along two known orthogonal directions give those directions and shares', () => {
    const u = [0.5, 0.5, 0.5, 0.5];
    const v = [0.5, -0.5, 0.5, -0.5];
    const rows: number[] = [];
    // A 3 × 3 grid: coordinates (±3, 0), (0, ±1) and the corners — variance 6 along u, 2/3 along v.
    for (const a of [-3, 0, 3]) for (const c of [-1, 0, 1]) rows.push(...u.map((x, i) => a * x + c * v[i] + 7));
    const b = embeddingBasis(rows, 4);
    expect(b.projected).toBe(true);
    const dot = (p: ArrayLike<number>, q: number[]) => q.reduce((s, x, i) => s + x * p[i], 0);
    expect(Math.abs(dot(b.axes[0], u))).toBeCloseTo(1, 6);
    expect(Math.abs(dot(b.axes[1], v))).toBeCloseTo(1, 6);
    expect(b.explained[0]).toBeCloseTo(6 / (6 + 2 / 3), 6);
    expect(b.explained[1]).toBeCloseTo(2 / 3 / (6 + 2 / 3), 6);
    // σ = 1 in every dimension stays 1 along any unit axis.
    Array.from(projectSigma([1, 1, 1, 1], 4, b)).forEach((s) => expect(s).toBeCloseTo(1, 6));
  });

  it('the axes are orthonormal for any data (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 8 * 6, maxLength: 8 * 6 }),
        (rows) => {
          const b = embeddingBasis(rows, 8);
          const dot = (p: Float64Array, q: Float64Array) => p.reduce((s, x, i) => s + x * q[i], 0);
          expect(dot(b.axes[0], b.axes[0])).toBeCloseTo(1, 6);
          expect(dot(b.axes[1], b.axes[1])).toBeCloseTo(1, 6);
          expect(Math.abs(dot(b.axes[0], b.axes[1]))).toBeLessThan(1e-6);
          expect(b.explained[0]).toBeGreaterThanOrEqual(b.explained[1] - 1e-9);
        },
      ),
      { numRuns: 50 },
    );
  });
});
