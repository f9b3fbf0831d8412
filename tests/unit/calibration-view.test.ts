// The calibration view and the metrics table as data (issue 14): the reliability curve with its diagonal, the PIT
// histogram, every cell a finite number or "–" with the reason, sorting, and the training curves' new metrics.
import { describe, expect, it } from 'vitest';
import {
  calibrationView,
  defaultSet,
  METRIC_COLUMNS,
  metricsTable,
  setLabel,
  sortRows,
} from '../../src/app/calibrationFigures';
import { historyPointOf } from '../../src/app/curvesView';
import { modelSpec } from '../../src/core/config';
import type { ModelSnapshot, Snapshot } from '../../src/core/engine';
import { uncertaintyBlock, type UncertaintyInput } from '../../src/core/uncertainty';
import { normal } from '../../src/core/rng';

const n = 300;
const normals = Array.from({ length: 2 * n }, (_, i) => normal(7, 1, i));
const x = Array.from({ length: n }, (_, i) => i / n);
/** Targets ~ N(0, 1); a model predicting σ = `sigma` everywhere; every 10th training point an outlier at +8. */
function input(sigma: number, predictive: UncertaintyInput['predictive']): UncertaintyInput {
  const y = x.map((_, i) => normals[i]);
  const ty = x.map((_, i) => (i % 10 === 0 ? 8 : normals[n + i]));
  const zeros = x.map(() => 0);
  const v = x.map(() => sigma * sigma);
  return {
    predictive,
    held: { mu: zeros, v, y },
    train: { mu: zeros, v, y: ty, isOutlier: x.map((_, i) => (i % 10 === 0 ? 1 : 0)) },
  };
}

function model(id: string, loss: string, block: ReturnType<typeof uncertaintyBlock>): ModelSnapshot {
  const f = new Float32Array(4);
  return {
    id,
    loss,
    status: 'training',
    message: null,
    steps: 10,
    phase: 2,
    metrics: { trainLoss: 1, rmse: 0.1, nll: 1, sigmaError: 0.1, outlierWeightShare: 0.1 },
    mu: f,
    sigma: f,
    bandIsScale: false,
    sampleLoss: f,
    weight: f,
    gradWeight: f,
    sigmaStar: f,
    learnedAlpha: NaN,
    learnedScale: NaN,
    uncertainty: block,
  };
}

const specs = [
  modelSpec('nll', { id: 'honest' }),
  modelSpec('nll', { id: 'overconfident' }),
  modelSpec('mse', { id: 'mean-only' }),
  modelSpec('student-t', { id: 't', nu: 2 }),
];
const grid = Float32Array.from([0, 1, 2, 3]);
const snapshot: Snapshot = {
  step: 10,
  backend: 'cpu',
  grid,
  truthMean: grid,
  truthStd: grid,
  models: [
    model('honest', 'nll', uncertaintyBlock(input(1, { kind: 'gaussian' }), 10)),
    model('overconfident', 'nll', uncertaintyBlock(input(0.3, { kind: 'gaussian' }), 10)),
    model('mean-only', 'mse', null),
    model('t', 'student-t', uncertaintyBlock(input(1, { kind: 'student-t', nu: 2 }), 10)),
  ],
};

describe('the calibration view', () => {
  it('draws the reliability curve of every set against the diagonal, and a PIT histogram whose bars sum to 1', () => {
    const view = calibrationView(snapshot.models[1], specs[1], 'heldOut')!;
    const [reliability, pit] = view.plots;
    const diagonal = reliability.data.find((t) => t.name === 'perfect calibration')!;
    expect(diagonal.x).toEqual([0, 1]);
    expect(diagonal.y).toEqual([0, 1]);
    const curves = reliability.data.filter((t) => t !== diagonal);
    expect(curves.map((t) => t.name)).toEqual([
      'clean held-out set (n = 300)',
      'training inliers (n = 270)',
      'injected outliers (training) (n = 30)',
    ]);
    for (const c of curves) {
      const [xs, ys] = [c.x as number[], c.y as number[]];
      expect(xs.length).toBe(101);
      expect([xs[0], ys[0], xs[100], ys[100]]).toEqual([0, 0, 1, 1]);
      ys.forEach((v, i) => i && expect(v).toBeGreaterThanOrEqual(ys[i - 1]));
    }
    const bars = pit.data.find((t) => t.type === 'bar')!;
    expect((bars.y as number[]).length).toBe(10);
    expect((bars.y as number[]).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    // Overconfident (σ = 0.3 for unit noise): most PITs pile up in the outer bins, a ∪.
    const y = bars.y as number[];
    expect(y[0] + y[9]).toBeGreaterThan(0.4);
    expect(pit.data.find((t) => t.name === 'uniform (calibrated)')!.y).toEqual([0.1, 0.1]);
    // A mean-only model has nothing to judge.
    expect(calibrationView(snapshot.models[2], specs[2], 'heldOut')).toBeNull();
  });

  it('the table has a row per model with every cell a finite number or "–" with a reason', () => {
    const rows = metricsTable(snapshot, specs, 'heldOut');
    expect(rows.map((r) => r.id)).toEqual(['honest', 'overconfident', 'mean-only', 't']);
    for (const r of rows) {
      expect(r.cells.map((c) => c.key)).toEqual(METRIC_COLUMNS.map((c) => c.key));
      for (const c of r.cells) {
        if (c.value === null) expect([c.text, typeof c.why]).toEqual(['–', 'string']);
        else expect(Number.isFinite(c.value) && c.why === null && c.text !== '–').toBe(true);
      }
    }
    const cell = (id: string, key: string) => rows.find((r) => r.id === id)!.cells.find((c) => c.key === key)!;
    expect(cell('mean-only', 'crps').why).toMatch(/mean-only/);
    expect(cell('t', 'sharpness').why).toMatch(/ν = 2 ≤ 2 has infinite variance/);
    expect(cell('t', 'crps').value).not.toBeNull();
    // Honest σ covers about 68.3 % at 1σ; the overconfident one far less.
    expect(cell('honest', 'coverage1').value!).toBeGreaterThan(0.6);
    expect(cell('overconfident', 'coverage1').value!).toBeLessThan(0.35);
    expect(cell('honest', 'coverage1').text).toMatch(/^\d+\.\d %$/);
    // Before the first snapshot every cell waits.
    expect(metricsTable(null, specs, 'heldOut')[0].cells[0].why).toMatch(/waiting/);
  });

  it('sorts on a column, coverage by its distance to nominal, rows without a value last either way', () => {
    const rows = metricsTable(snapshot, specs, 'heldOut');
    const ids = (key: string, descending: boolean) => sortRows(rows, { key, descending }).map((r) => r.id);
    expect(ids('miscalibrationArea', false)).toEqual(['honest', 't', 'overconfident', 'mean-only']);
    expect(ids('miscalibrationArea', true)).toEqual(['overconfident', 't', 'honest', 'mean-only']);
    expect(ids('coverage2', false)[0]).toBe('honest');
    expect(ids('sharpness', false)).toEqual(['overconfident', 'honest', 'mean-only', 't']);
    expect(ids('model', false)).toEqual(['honest', 'overconfident', 'mean-only', 't']);
  });

  it('your own data holding nothing out is judged on the training inliers (its held-out cells say why); with a held-out share, on that', () => {
    const own: Snapshot = {
      ...snapshot,
      truthMean: null,
      truthStd: null,
      models: snapshot.models.map((m) => ({ ...m, uncertainty: m.uncertainty && { ...m.uncertainty, heldOut: null } })),
    };
    expect(defaultSet(own)).toBe('inliers');
    expect(defaultSet(snapshot)).toBe('heldOut');
    expect(metricsTable(own, specs, 'heldOut')[0].cells[0].why).toMatch(/holds nothing out/);
    expect(metricsTable(own, specs, 'inliers')[0].cells[0].value).not.toBeNull();
    const split: Snapshot = { ...snapshot, truthMean: null, truthStd: null, heldOut: { kind: 'split', n: 40 } };
    expect(defaultSet(split)).toBe('heldOut');
    expect(metricsTable(split, specs, 'heldOut')[0].cells[0].value).not.toBeNull();
    expect(setLabel('heldOut', split)).toBe('held-out share of your data');
    expect(calibrationView(split.models[0], specs[0], 'heldOut', split)!.plots[1].heading!.title).toMatch(
      /held-out share of your data/,
    );
  });

  it('the training curves record miscalibration area and CRPS of the judged set, NaN for mean-only models', () => {
    const h = historyPointOf(snapshot);
    expect(h.models[0].miscalibrationArea).toBe(snapshot.models[0].uncertainty!.heldOut!.miscalibrationArea);
    expect(h.models[1].crps).toBe(snapshot.models[1].uncertainty!.heldOut!.crps);
    expect(h.models[2].crps).toBeNaN();
  });
});
