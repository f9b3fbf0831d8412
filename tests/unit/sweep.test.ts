// The sweep's pure core: a grid of two per-model settings → the models of one stack, and back: the metric per cell.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN, modelSpec } from '../../src/core/config';
import { defaultDataSpec } from '../../src/core/datasets';
import {
  cellId,
  gridMedian,
  gridValues,
  shareBelow,
  sweepCells,
  sweepConfig,
  sweepGrids,
  sweepProblem,
  type SweepSpec,
} from '../../src/core/sweep';

const TRAIN = { ...DEFAULT_TRAIN, learningRate: 2e-3 };
const BASE: SweepSpec = {
  data: defaultDataSpec('beta-sine'),
  train: TRAIN,
  base: modelSpec('nll', { id: 'm1', beta: 0.5, initSeed: 7, ensemble: 4 }),
  x: { setting: 'learningRate', values: [1e-3, 3e-3, 1e-2] },
  y: { setting: 'initScale', values: [3, 10] },
  compare: 'beta-nll',
  metric: 'rmse',
};

describe('sweep cells', () => {
  it('one model per cell and grid, ids naming the cell, the two settings applied and nothing else changed', () => {
    const cells = sweepCells(BASE);
    expect(cells).toHaveLength(12);
    expect(cells.map((c) => c.id).slice(0, 4)).toEqual(['a-x0-y0', 'a-x1-y0', 'a-x2-y0', 'a-x0-y1']);
    const c = cells.find((q) => q.id === 'b-x2-y1')!;
    expect(c).toMatchObject({ grid: 1, i: 2, j: 1 });
    // The learning rate is the shared one times the model's scale: 2e-3 × 5 = 1e-2.
    expect(TRAIN.learningRate * c.spec.lrScale).toBeCloseTo(1e-2, 12);
    expect(c.spec).toMatchObject({
      id: 'b-x2-y1',
      loss: 'beta-nll',
      initScale: 10,
      beta: 0.5,
      initSeed: 7,
      T: BASE.base.T,
    });
    // A cell is one network: the base's ensemble count is dropped.
    expect(cells.every((q) => q.spec.ensemble === undefined)).toBe(true);
    expect(cells.filter((q) => q.grid === 0).every((q) => q.spec.loss === 'nll')).toBe(true);
    const cfg = sweepConfig(BASE);
    expect(cfg.models.map((m) => m.id)).toEqual(cells.map((q) => q.id));
    expect(cfg.train).toBe(TRAIN);
  });

  it('the seeds view: offsets on both axes add up to 64 distinct initial-weight seeds', () => {
    const seeds: SweepSpec = {
      ...BASE,
      compare: undefined,
      x: { setting: 'initSeed', values: [0, 1, 2, 3, 4, 5, 6, 7] },
      y: { setting: 'initSeed', values: [0, 8, 16, 24, 32, 40, 48, 56] },
    };
    const cells = sweepCells(seeds);
    expect(cells).toHaveLength(64);
    expect(new Set(cells.map((c) => c.spec.initSeed)).size).toBe(64);
    expect(Math.min(...cells.map((c) => c.spec.initSeed))).toBe(7);
    expect(Math.max(...cells.map((c) => c.spec.initSeed))).toBe(7 + 63);
  });

  it('refuses what one stack cannot train, with a message naming the reason', () => {
    const eight = [1, 2, 3, 4, 5, 6, 7, 8];
    expect(
      sweepProblem({
        ...BASE,
        compare: undefined,
        x: { setting: 'T', values: eight },
        y: { setting: 'beta', values: eight.map((v) => v / 8) },
      }),
    ).toBeNull();
    expect(
      sweepProblem({
        ...BASE,
        x: { setting: 'T', values: eight },
        y: { setting: 'beta', values: eight.map((v) => v / 8) },
      }),
    ).toMatch(/128 cells: a sweep trains at most 64/);
    expect(sweepProblem({ ...BASE, y: { setting: 'learningRate', values: [1e-3] } })).toMatch(
      /both vary learning rate/,
    );
    expect(sweepProblem({ ...BASE, x: { setting: 'T', values: [1, Infinity] } })).toBeNull();
    expect(sweepProblem({ ...BASE, x: { setting: 'beta', values: [0.5, Infinity] } })).toMatch(
      /β = ∞ is outside \[0, 1\]/,
    );
    expect(sweepProblem({ ...BASE, y: { setting: 'initScale', values: [0.01] } })).toMatch(/ω = 0.01 is outside/);
    expect(sweepProblem({ ...BASE, x: { setting: 'initSeed', values: [0.5] } })).toMatch(/whole numbers/);
    expect(sweepProblem({ ...BASE, x: { setting: 'T', values: [] } })).toMatch(/0 values/);
    expect(sweepProblem({ ...BASE, compare: 'no-such-loss' })).toMatch(/unknown loss/);
    expect(() => sweepCells({ ...BASE, x: { setting: 'T', values: [NaN] } })).toThrow(/T = NaN/);
  });
});

describe('grid values', () => {
  it('log and linear spacing by hand', () => {
    expect(gridValues(1e-4, 1e-2, 3, 'log')).toEqual([1e-4, 1e-3, 1e-2]);
    expect(gridValues(0, 1, 5, 'linear')).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(gridValues(0, 7, 8, 'linear', true)).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
    expect(() => gridValues(1, 2, 9, 'log')).toThrow(/grid size/);
    expect(() => gridValues(1, 2, 1, 'log')).toThrow(/grid size/);
    expect(() => gridValues(0, 2, 3, 'log')).toThrow(/log scale/);
  });

  it('property: n values from lo to hi, monotone, evenly spaced on their scale (to the 4 digits kept)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 1e-5, max: 1e3, noNaN: true }),
        fc.double({ min: 1.01, max: 1e4, noNaN: true }),
        fc.integer({ min: 2, max: 8 }),
        fc.boolean(),
        (lo, ratio, n, log) => {
          const hi = lo * ratio;
          const v = gridValues(lo, hi, n, log ? 'log' : 'linear');
          expect(v).toHaveLength(n);
          expect(v[0]).toBe(lo);
          expect(v[n - 1]).toBe(hi);
          const f = log ? Math.log : (x: number) => x;
          const step = (f(hi) - f(lo)) / (n - 1);
          for (let k = 1; k < n; k++) {
            expect(v[k]).toBeGreaterThan(v[k - 1]);
            expect(Math.abs(f(v[k]) - f(lo) - k * step)).toBeLessThan(1e-3 * Math.max(1, Math.abs(f(v[k]))));
          }
        },
      ),
    );
  });
});

describe('metric per cell', () => {
  const metrics = (rmse: number) => ({ rmse, sigmaError: NaN, nll: 2 * rmse });
  const spec: SweepSpec = {
    ...BASE,
    x: { setting: 'learningRate', values: [1e-3, 1e-2] },
    y: { setting: 'initScale', values: [3] },
  };
  const snapshot = {
    models: [
      { id: cellId(0, 0, 0), status: 'training' as const, metrics: metrics(0.2) },
      { id: cellId(0, 1, 0), status: 'diverged' as const, metrics: metrics(NaN) },
      { id: cellId(1, 0, 0), status: 'training' as const, metrics: metrics(0.05) },
    ],
  } as unknown as Parameters<typeof sweepGrids>[1];

  it('reads each cell’s metric; a diverged cell is marked, a missing one pending, a metric the loss lacks undefined', () => {
    const [a, b] = sweepGrids(spec, snapshot);
    expect(a.loss).toBe('nll');
    expect(a.z).toEqual([[0.2, NaN]]);
    expect(a.status).toEqual([['ok', 'diverged']]);
    expect(b.status).toEqual([['ok', 'pending']]);
    expect(sweepGrids({ ...spec, metric: 'heldOutNll' }, snapshot)[0].z[0][0]).toBe(0.4);
    expect(sweepGrids({ ...spec, metric: 'sigmaError' }, snapshot)[0].status[0][0]).toBe('undefined');
    expect(sweepGrids(spec, null)[0].status.flat()).toEqual(['pending', 'pending']);
  });

  it('share of cells where the second grid is at most the first, and the median, by hand', () => {
    const a = { loss: 'nll', z: [[0.2, NaN, 0.1, 0.3]], status: [] };
    const b = { loss: 'beta-nll', z: [[0.1, 0.5, 0.2, NaN]], status: [] };
    // cell 0: 0.1 ≤ 0.2 yes; cell 1: finite beats diverged, yes; cell 2: 0.2 > 0.1 no; cell 3: NaN no → 2 / 4.
    expect(shareBelow(a, b)).toBe(0.5);
    expect(gridMedian(a)).toBe(0.2);
    expect(gridMedian(b)).toBeCloseTo(0.2, 12);
    expect(gridMedian({ loss: 'x', z: [[NaN]], status: [] })).toBeNaN();
  });
});

describe('sweep claims', () => {
  it('judges the share of cells and the median by hand', async () => {
    const { evaluateClaim } = await import('../../src/core/lessons/claims');
    const metrics = {
      a1: { rmse: 0.1 },
      a2: { rmse: 0.3 },
      a3: { rmse: 0.2 },
      b1: { rmse: 0.2 },
      b2: { rmse: NaN },
      b3: { rmse: 0.1 },
    };
    const pairs: [string, string][] = [
      ['a1', 'b1'],
      ['a2', 'b2'],
      ['a3', 'b3'],
    ];
    // a1 ≤ b1 yes; a2 finite vs b2 diverged: yes; a3 0.2 > 0.1: no → 2 of 3.
    const [share, strict, med] = evaluateClaim(
      [
        { kind: 'share', id: 's', pairs, metric: 'rmse', min: 0.6 },
        { kind: 'share', id: 's', pairs, metric: 'rmse', min: 0.7 },
        { kind: 'median', id: 'm', ids: ['a1', 'a2', 'a3'], than: ['b1', 'b2', 'b3'], metric: 'rmse' },
      ],
      metrics,
    );
    expect(share).toMatchObject({ holds: true });
    expect(share.value).toBeCloseTo(2 / 3, 12);
    expect(share.text).toBe('s: rmse ≤ its pair in 2 of 3 cells (0.667 ≥ 0.6)');
    expect(strict.holds).toBe(false);
    // medians: a → 0.2; b (finite) → 0.15: 0.2 > 0.15 fails.
    expect(med).toMatchObject({ value: 0.2, holds: false });
    expect(med.other).toBeCloseTo(0.15, 12);
  });
});
