import { describe, expect, it } from 'vitest';
import { DATASETS, defaultDataSpec, makeHeldOut, makePoints, truthOf, validateDataSpec } from '../../src/core/datasets';

describe('datasets', () => {
  it('the heteroscedastic sine follows eq. 10: mean x sin x, std 0.3√(1 + x²), x in (0, 10]', () => {
    const spec = { ...defaultDataSpec('hetero-sine'), n: 20000, outlierRate: 0 };
    const p = makePoints(spec);
    const truth = truthOf(spec);
    let z2 = 0;
    p.x.forEach((x, i) => {
      expect(x).toBeGreaterThan(0);
      expect(x).toBeLessThanOrEqual(10);
      z2 += ((p.y[i] - truth.mean(x)) / truth.std(x)) ** 2;
    });
    // Standardised residuals have unit variance: 20 000 draws put the mean square within ±0.05.
    expect(Math.abs(z2 / p.x.length - 1)).toBeLessThan(0.05);
    expect(truth.std(0)).toBeCloseTo(0.3, 12);
    expect(truth.std(10)).toBeCloseTo(0.3 * Math.sqrt(101), 12);
  });

  it('injects the requested share of outliers, flagged, with the papers’ N(0, 10²) size', () => {
    const spec = { ...defaultDataSpec('hetero-sine'), n: 20000, outlierRate: 0.25 };
    const p = makePoints(spec);
    const truth = truthOf(spec);
    const flagged = p.isOutlier.reduce((a, b) => a + b, 0) / p.x.length;
    expect(Math.abs(flagged - 0.25)).toBeLessThan(0.015);
    let sq = 0;
    let count = 0;
    p.isOutlier.forEach((o, i) => {
      if (o) {
        sq += (p.y[i] - truth.mean(p.x[i])) ** 2;
        count++;
      }
    });
    // Outlier residuals: 10² from the outlier plus the eq. 10 noise (mean variance 0.09 + 0.09·E[x²] ≈ 3.1).
    expect(Math.sqrt(sq / count)).toBeGreaterThan(9.5);
    expect(Math.sqrt(sq / count)).toBeLessThan(10.8);
  });

  it("Barron's flip sends outliers to 0.05 + 0.4(1 − sign(y − 0.5))", () => {
    const p = makePoints({ ...defaultDataSpec('barron-line'), n: 500 });
    p.isOutlier.forEach((o, i) => {
      if (o) expect([0.05, 0.45, 0.85].map((v) => Math.fround(v))).toContain(p.y[i]);
    });
    expect(p.isOutlier.some((o) => o === 1)).toBe(true);
  });

  it('growing N appends points and keeps the earlier ones', () => {
    const a = makePoints({ ...defaultDataSpec(), n: 100 });
    const b = makePoints({ ...defaultDataSpec(), n: 150 });
    expect(b.x.subarray(0, 100)).toEqual(a.x);
    expect(b.y.subarray(0, 100)).toEqual(a.y);
  });

  it('the linear data set draws w ~ N(0, 1) per seed, and its held-out set shares that w', () => {
    const spec = { ...defaultDataSpec('linear'), outlierRate: 0 };
    const w = DATASETS.linear.parameter!(spec.seed);
    expect(DATASETS.linear.parameter!(spec.seed + 1)).not.toBe(w);
    const held = makeHeldOut(spec);
    let num = 0;
    let den = 0;
    held.x.forEach((x, i) => {
      num += x * held.y[i];
      den += x * x;
    });
    expect(num / den).toBeCloseTo(w, 1);
  });

  it('rejects bad specs with a message naming the field', () => {
    expect(() => validateDataSpec({ ...defaultDataSpec(), outlierRate: 0.95 })).toThrow(/outlierRate/);
    expect(() => validateDataSpec({ ...defaultDataSpec(), n: NaN })).toThrow(/invalid n/);
    expect(() => validateDataSpec({ ...defaultDataSpec(), noise: NaN })).toThrow(/noise/);
  });
});
