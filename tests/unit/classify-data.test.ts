// Classification data and metrics: flips of each kind, the clean test set, determinism; AUROC, rejection.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundaryDistance,
  CLASS_DATASETS,
  classDataProblem,
  DEFAULT_CLASS_DATA,
  FLIP_KINDS,
  makeClassData,
  type ClassDataSpec,
} from '../../src/core/classify/data';
import { accuracy, auroc, entropyRows, meanSd, predictions, rejectionAccuracy } from '../../src/core/classify/metrics';

const spec = (patch: Partial<ClassDataSpec>): ClassDataSpec => ({
  ...DEFAULT_CLASS_DATA,
  n: 200,
  testN: 100,
  ...patch,
});

describe('classification data', () => {
  it('flips exactly round(r·n) labels, each to another class, and marks them; the test set is clean', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...CLASS_DATASETS),
        fc.constantFrom(...FLIP_KINDS),
        fc.double({ min: 0, max: 0.5, noNaN: true }),
        fc.integer({ min: 2, max: 5 }),
        (dataset, flipKind, flipRate, classes) => {
          const d = makeClassData(spec({ dataset, flipKind, flipRate, classes }));
          const flipped = d.train.flipped.reduce((s, f) => s + f, 0);
          expect(flipped).toBe(Math.round(flipRate * 200));
          d.train.label.forEach((l, i) => {
            expect(l !== d.train.clean[i]).toBe(d.train.flipped[i] === 1);
            expect(l >= 0 && l < d.train.classes).toBe(true);
          });
          expect(d.test.flipped.every((f) => f === 0)).toBe(true);
          expect(Array.from(d.test.label)).toEqual(Array.from(d.test.clean));
        },
      ),
      { numRuns: 40 },
    );
  });

  it('uses every class, with balanced counts where classes are dealt by index', () => {
    for (const dataset of ['moons', 'circles', 'spirals', 'blobs'] as const) {
      const d = makeClassData(spec({ dataset, classes: 4, flipRate: 0 }));
      const counts = Array.from({ length: d.train.classes }, (_, c) => d.train.clean.filter((l) => l === c).length);
      expect(
        counts.every((n) => Math.abs(n - 200 / d.train.classes) <= 1),
        dataset,
      ).toBe(true);
    }
    expect(makeClassData(spec({ dataset: 'moons', classes: 5 })).train.classes).toBe(2);
  });

  it('near-boundary flips sit closer to another class than symmetric ones, and far ones farther', () => {
    const meanDist = (kind: (typeof FLIP_KINDS)[number]) => {
      const d = makeClassData(spec({ dataset: 'moons', noise: 0.15, flipRate: 0.2, flipKind: kind }));
      const dist = boundaryDistance(d.train);
      const picked = Array.from(dist).filter((_, i) => d.train.flipped[i]);
      return picked.reduce((s, v) => s + v, 0) / picked.length;
    };
    const [near, sym, far] = [meanDist('near'), meanDist('symmetric'), meanDist('far')];
    expect(near).toBeLessThan(sym);
    expect(sym).toBeLessThan(far);
  });

  it('is a pure function of the spec; raising the rate keeps the earlier symmetric flips', () => {
    const a = makeClassData(spec({ dataset: 'spirals', classes: 3 }));
    const b = makeClassData(spec({ dataset: 'spirals', classes: 3 }));
    expect(Array.from(a.train.x)).toEqual(Array.from(b.train.x));
    expect(Array.from(a.train.label)).toEqual(Array.from(b.train.label));
    const low = makeClassData(spec({ flipRate: 0.1 }));
    const high = makeClassData(spec({ flipRate: 0.3 }));
    low.train.flipped.forEach((f, i) => f && expect(high.train.flipped[i]).toBe(1));
    expect(Array.from(low.train.x)).toEqual(Array.from(high.train.x));
  });

  it('names what is wrong with a spec', () => {
    expect(classDataProblem(spec({}))).toBeNull();
    expect(classDataProblem(spec({ flipRate: 0.7 }))).toMatch(/flip rate must be in \[0, 0.5\]/);
    expect(classDataProblem(spec({ n: 100 }))).toMatch(/N must be an integer in \[200, 2000\]/);
    expect(() => makeClassData(spec({ dataset: 'rings' as never }))).toThrow(/unknown data set "rings"/);
  });
});

describe('classification metrics', () => {
  it('AUROC by hand: 3 of the 4 (flipped, clean) pairs ordered, ties count ½', () => {
    expect(auroc([0.1, 0.4, 0.35, 0.8], [0, 0, 1, 1])).toBeCloseTo(0.75, 12);
    expect(auroc([1, 1, 1, 1], [0, 1, 0, 1])).toBeCloseTo(0.5, 12);
    expect(auroc([0.2, 0.9], [1, 0])).toBe(0);
    expect(auroc([0.2, 0.9], [0, 0])).toBeNaN();
  });

  it('AUROC equals the pair count it is defined by (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 5 }), fc.boolean()), { minLength: 2, maxLength: 30 }),
        (rows) => {
          const score = rows.map((r) => r[0]);
          const pos = rows.map((r) => (r[1] ? 1 : 0));
          let num = 0;
          let den = 0;
          rows.forEach((a) =>
            rows.forEach((b) => {
              if (!a[1] || b[1]) return;
              den++;
              num += a[0] > b[0] ? 1 : a[0] === b[0] ? 0.5 : 0;
            }),
          );
          const got = auroc(score, pos);
          if (den === 0) expect(got).toBeNaN();
          else expect(got).toBeCloseTo(num / den, 10);
        },
      ),
    );
  });

  it('rejection drops the most uncertain first', () => {
    // 10 points; the two most uncertain are wrong, so rejecting 10 % / 20 % removes them one by one.
    const correct = [1, 1, 0, 1, 1, 1, 0, 1, 1, 0];
    const unc = [0.1, 0.2, 0.95, 0.3, 0.1, 0.2, 0.9, 0.4, 0.1, 0.05];
    expect(rejectionAccuracy(correct, unc, [0, 0.1, 0.2, 0.3])).toEqual([0.7, 7 / 9, 7 / 8, 6 / 7]);
  });

  it('entropy, predictions, accuracy, mean ± sd by hand', () => {
    const h = entropyRows([0.5, 0.5, 1, 0], 2);
    expect(h[0]).toBeCloseTo(Math.log(2), 12);
    expect(h[1]).toBe(0);
    expect(Array.from(predictions([0.2, 0.8, 0.6, 0.4], 2))).toEqual([1, 0]);
    expect(accuracy([1, 0, 1], [1, 1, 1])).toBeCloseTo(2 / 3, 12);
    const { mean, sd } = meanSd([1, 2, 3]);
    expect([mean, sd]).toEqual([2, 1]);
  });
});
