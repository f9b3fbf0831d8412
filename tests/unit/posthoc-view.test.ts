// The Post-hoc view as data (issue 26): rows with q̂ beside z and the guard in words, coverage along x as traces,
// proper scores with ranks and disagreements, and the calibration view's "after" snapshot.
import { describe, expect, it } from 'vitest';
import type { UncertaintyMetrics } from '../../src/core/calibration';
import { modelSpec, withIds } from '../../src/core/config';
import type { Snapshot } from '../../src/core/engine';
import { DEFAULT_POSTHOC, posthocBlock } from '../../src/core/posthoc';
import { coverageAlongXView, posthocRows, recalibratedSnapshot, scoreTable } from '../../src/app/posthocFigures';

const specs = withIds([modelSpec('nll'), modelSpec('robust-nll'), modelSpec('mse')]);
const metrics = (nll: number, crps: number, is: number, dss: number) =>
  ({ nll, crps, intervalScore95: is, dss, n: 10 }) as unknown as UncertaintyMetrics;
const cal = {
  mu: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
  sigma: new Array(10).fill(1),
  y: [0.1, -0.2, 0.3, -0.4, 0.5, -0.6, 0.7, -0.8, 0.9, -1],
};
const held = { x: [0, 1, 2, 3], mu: [0, 0, 0, 0], sigma: [1, 1, 1, 1], y: [0.5, 3, -0.2, 0.1] };

function snapshot(): Snapshot {
  const ok = posthocBlock(DEFAULT_POSTHOC, { kind: 'gaussian' }, cal, held, [1, 2], [0, 4])!;
  const tooFew = posthocBlock(
    DEFAULT_POSTHOC,
    { kind: 'gaussian' },
    { mu: [0], sigma: [1], y: [1] },
    held,
    [1, 2],
    [0, 4],
  )!;
  const model = (id: string, posthoc: unknown, u: unknown) => ({ id, status: 'training', posthoc, uncertainty: u });
  return {
    step: 10,
    grid: new Float32Array([0, 4]),
    truthMean: new Float32Array(2),
    heldOut: { kind: 'clean', n: 4 },
    posthoc: { settings: DEFAULT_POSTHOC, n: 10, outliers: 0 },
    models: [
      model('m1', ok, {
        step: 10,
        heldOut: null,
        inliers: metrics(2, 0.5, 3, 4),
        outliers: null,
        recalibrated: { kind: 'scale', scale: 0.5, heldOut: null, inliers: metrics(1, 0.4, 2, 1), outliers: null },
      }),
      model('m2', tooFew, { step: 10, heldOut: null, inliers: metrics(1, 0.6, 2, 3), outliers: null }),
      model('m3', null, null),
    ],
  } as unknown as Snapshot;
}

describe('the Post-hoc view', () => {
  it('puts q̂ beside z, the coverage of both bands, and the guard or the reason in words', () => {
    const rows = posthocRows(snapshot(), specs);
    // Scores 0.1 … 1 (σ = 1), k = ⌈11 × 0.9⌉ = 10: q̂ = 1; z = 1.645.
    expect(rows[0]).toMatchObject({
      q: '1',
      learned: '1.64',
      coverageLearned: '75.0 %',
      coverageConformal: '75.0 %',
      scale: '0.5',
      note: null,
      missing: null,
    });
    expect(rows[1].q).toBe('∞');
    expect(rows[1].note).toMatch(
      /^the conformal band is infinite: 1 calibration points are too few for 90 % \(k = ⌈\(n \+ 1\)\(1 − α\)⌉ = 2 > n = 1/,
    );
    expect(rows[1].note).toMatch(/9 points or a lower level/);
    expect(rows[2]).toMatchObject({ q: '–', note: null, missing: 'a mean-only loss: no σ̂ to conform' });
  });
  it('draws coverage along x per model, learned dashed and conformal solid, against the nominal line', () => {
    const v = coverageAlongXView(snapshot(), specs)!;
    const data = v.plots[0].data;
    expect(data[0]).toMatchObject({ name: 'nominal', y: [0.9, 0.9] });
    expect(data.map((d) => d.name)).toEqual([
      'nominal',
      '1. learned band',
      '1. conformal band',
      '2. learned band',
      '2. conformal band',
    ]);
    expect((data[1].line as { dash: string }).dash).toBe('dash');
    expect(data[1].x).toHaveLength(10);
    expect(coverageAlongXView({ ...snapshot(), posthoc: null }, specs)).toBeNull();
  });
  it('ranks the models by each proper score and says where two disagree, before and after recalibration', () => {
    const before = scoreTable(snapshot(), specs, 'inliers', false);
    expect(before.rows.map((r) => r.cells.map((c) => c.rank))).toEqual([
      [2, 1, 2, 2],
      [1, 2, 1, 1],
    ]);
    expect(before.rows.map((r) => r.disputed)).toEqual([true, true]);
    expect(before.disagreements).toEqual([
      'NLL and CRPS order 1 pair of models oppositely',
      'CRPS and IS95 order 1 pair of models oppositely',
      'CRPS and DSS order 1 pair of models oppositely',
    ]);
    const after = scoreTable(snapshot(), specs, 'inliers', true);
    expect(after.rows.map((r) => r.id)).toEqual(['m1']);
  });
  it('gives the calibration view the recalibrated sets in place of the model’s own', () => {
    const r = recalibratedSnapshot(snapshot())!;
    expect(r.models[0].uncertainty!.inliers!.nll).toBe(1);
    expect(r.models[1].uncertainty).toBeNull();
  });
});

describe('the conformal outline in a fit panel', () => {
  it('is μ̂ ± the band’s half-width on the grid, only when asked for and finite', async () => {
    const { conformalOutline } = await import('../../src/app/fitFigure');
    const s = snapshot();
    const m = s.models[0];
    const traces = conformalOutline(m, [0, 4], [1, 2], { revision: 'r', conformal: true });
    // σ̂ on the grid 1 and 2, q̂ = 1: half-widths 1 and 2.
    expect(traces.map((t) => t.y)).toEqual([
      [2, 4],
      [0, 0],
    ]);
    expect(traces[0].name).toBe('conformal 90 % band');
    expect(conformalOutline(m, [0, 4], [1, 2], { revision: 'r' })).toEqual([]);
    expect(conformalOutline(s.models[1], [0, 4], [1, 2], { revision: 'r', conformal: true })).toEqual([]);
  });
});
