// The Plotly figures are pure functions of a snapshot: tested as data.
import { describe, expect, it } from 'vitest';
import { modelTitle, pointTraces, warmupNote } from '../../src/app/figures';
import { dataFigure, fitFigure } from '../../src/app/fitFigure';
import { curvesView } from '../../src/app/curvesView';
import { gradWeightLabel, lossAxisEnd, shapeView, weightsView } from '../../src/app/viewFigures';
import { rangesFromEvent, scaleColor } from '../../src/app/pointLayer';
import { modelSpec } from '../../src/core/config';
import { barronPsi, barronRho } from '../../src/core/losses';
import type { Snapshot } from '../../src/core/engine';
import type { Points } from '../../src/core/datasets';

const points: Points = {
  x: Float32Array.from([0, 1, 2, 3]),
  y: Float32Array.from([0, 1, 9, 3]),
  isOutlier: Uint8Array.from([0, 0, 1, 0]),
};
const grid = Float32Array.from([0, 1, 2, 3]);
const model = {
  id: 'm1',
  loss: 'robust-nll',
  status: 'training' as const,
  message: null,
  steps: 10,
  phase: 2 as const,
  metrics: { trainLoss: 1, rmse: 0.25, nll: 1.2, sigmaError: 0.1, outlierWeightShare: 0.05 },
  mu: Float32Array.from([0, 1, 2, 3]),
  sigma: Float32Array.from([1, 1, 1, 1]),
  sampleLoss: Float32Array.from([0.1, 0.2, 9, 0.3]),
  weight: Float32Array.from([1.3, 1.3, 0.01, 1.3]),
  gradWeight: Float32Array.from([1.4, 1.4, -0.2, 1.4]),
  sigmaStar: Float32Array.from([1, 1, 0.3, 1]),
  learnedAlpha: NaN,
  learnedScale: NaN,
  bandIsScale: false,
  uncertainty: null,
};
const snapshot: Snapshot = {
  step: 10,
  backend: 'cpu',
  grid,
  truthMean: grid,
  truthStd: Float32Array.from([0.5, 0.5, 0.5, 0.5]),
  models: [model],
};
const spec = modelSpec('robust-nll', { T: 16, id: 'm1' });

describe('figures', () => {
  it('an ensemble: the total band (±2σ*) around the aleatoric one, the ensemble in the title; held-out points drawn apart', () => {
    const e = {
      ...model,
      sigma: Float32Array.from([2, 2, 2, 2]),
      ensemble: {
        size: 4,
        alive: 4,
        aleatoric: Float32Array.from([1, 1, 1, 1]),
        epistemic: Float32Array.from([Math.sqrt(3), Math.sqrt(3), Math.sqrt(3), Math.sqrt(3)]),
      },
    };
    const fig = fitFigure(
      snapshot,
      e,
      { ...spec, ensemble: 4 },
      { ...points, heldOut: { x: Float32Array.from([1.5]), y: Float32Array.from([2]) } },
      { revision: 'r' },
    );
    const total = fig.data.find((t) => String(t.name).includes('total'))!;
    const alea = fig.data.find((t) => String(t.name).includes('aleatoric') && !String(t.name).includes('total'))!;
    expect(total.y).toEqual([4, 5, 6, 7, -1, -2, -3, -4]);
    expect(alea.y).toEqual([2, 3, 4, 5, 1, 0, -1, -2]);
    expect(fig.heading!.title).toBe('Robust-NLL (T=16), ensemble of 4');
    const held = fig.points!.find((p) => p.name === 'held out')!;
    expect(held.index).toEqual([-1]);
  });

  it('the fit panel: a closed ±2σ polygon, outliers as crosses, weights as colours, the loss and RMSE in the title', () => {
    const fig = fitFigure(snapshot, model, spec, points, { revision: 'r' });
    const band = fig.data.find((t) => t.name === 'μ ± 2σ')!;
    expect(band.fill).toBe('toself');
    expect(band.x).toEqual([0, 1, 2, 3, 3, 2, 1, 0]);
    expect(band.y).toEqual([2, 3, 4, 5, 1, 0, -1, -2]);
    // The points go on the canvas layer; as SVG traces (for PNG export) they keep symbols and colours.
    const outliers = fig.points!.find((s) => s.name === 'injected outliers')!;
    expect(Array.from(outliers.x)).toEqual([2]);
    expect(outliers.symbol).toBe('x');
    expect(outliers.hover!(0)).toContain('B·wᵢ = 1.0e-2');
    const traces = pointTraces(fig.points!) as {
      name: string;
      x: number[];
      marker: { symbol: string; color: number[] };
    }[];
    const svg = traces.find((t) => t.name === 'injected outliers')!;
    expect(svg.x).toEqual([2]);
    expect(svg.marker.symbol).toBe('x');
    expect(svg.marker.color).toEqual([Math.fround(0.01)]);
    expect(traces.find((t) => t.name === 'data')!.x).toEqual([0, 1, 3]);
    // The colour key is drawn as HTML in the heading, not as a Plotly colour bar redrawn every frame.
    expect(fig.heading!.colorScale!.label).toBe('B·wᵢ');
    expect(fig.data.some((t) => (t.marker as { showscale?: boolean } | undefined)?.showscale)).toBe(false);
    expect(fig.heading!.title).toBe('Robust-NLL (T=16)');
    expect(fig.heading!.subtitle).toContain('RMSE 0.25');
    expect(fig.layout.uirevision).toBe('r');
  });

  it('before the first step the panel shows the data alone, grey, on the inliers’ range', () => {
    const fig = dataFigure(spec, points, { revision: 'r' });
    expect(fig.data).toEqual([]);
    expect(fig.points!.map((s) => Array.from(s.x))).toEqual([[0, 1, 3], [2]]);
    expect(fig.heading!.subtitle).toContain('waiting');
    const [lo, hi] = (fig.layout.yaxis as { range: number[] }).range;
    // Inliers span 0…3: the outlier at 9 does not stretch the axis.
    expect(lo).toBeLessThan(0);
    expect(hi).toBeLessThan(4);
  });

  it('mean-only losses draw no band, and SuperLoss colours points by σ*', () => {
    const mse = fitFigure(snapshot, model, modelSpec('mse'), points, { revision: 'r' });
    expect(mse.data.some((t) => t.name === 'μ ± 2σ')).toBe(false);
    const sl = fitFigure(snapshot, model, modelSpec('superloss-nll'), points, { revision: 'r' });
    const colours = sl.points!.find((s) => s.name === 'injected outliers')!.color as { values: ArrayLike<number> };
    expect(Array.from(colours.values)).toEqual([Math.fround(0.3)]);
  });

  it('titles carry the live hyperparameters, with ∞ and −∞ spelled out', () => {
    expect(modelTitle(modelSpec('robust-nll', { T: Infinity }))).toBe('Robust-NLL (T=∞)');
    expect(modelTitle(modelSpec('barron', { alpha: -Infinity, c: 0.1 }))).toBe('Barron (α=−∞, c=0.1)');
    expect(modelTitle(modelSpec('superloss-mse', { lambda: 2, tauMode: 'ema' }))).toBe('SuperLoss(MSE) (λ=2, τ: ema)');
  });

  it('the weights view plots B·wᵢ and B·αⱼ against x and against the loss, with a line at 1, and frames negative gradient weights', () => {
    const view = weightsView(model, spec, points, 'r');
    expect(view.plots.length).toBe(2);
    // One reference line per plot, four point sets per plot, one legend for both.
    for (const plot of view.plots) {
      expect(plot.data.filter((t) => t.name === '1 = plain averaging').length).toBe(1);
      expect(plot.points!.map((s) => s.name)).toEqual([
        'B·wᵢ, inliers',
        'B·wᵢ, outliers',
        'gradient weight B·αⱼ (eq. 7), inliers',
        'gradient weight, outliers',
      ]);
      expect((plot.layout.yaxis as { range: number[] }).range[0]).toBeLessThan(-0.2);
    }
    // The outlier's loss (9) is far beyond the others' (≤ 0.3): it sits at the axis's edge, counted, its hover exact.
    const outl = view.plots[1].points!.find((s) => s.name === 'B·wᵢ, outliers')!;
    // The weighting cuts off past ℓ = 0.3 (the outlier's weight is 0.01): the axis ends a tenth of the span beyond.
    expect(outl.x[0]).toBeCloseTo(0.32, 5);
    expect(outl.hover!(0)).toContain('ℓᵢ = 9 (drawn at the edge)');
    expect(view.plots[1].heading!.subtitle).toBe(
      '1 point with ℓ beyond 0.32 (1 injected outlier) drawn at the right edge',
    );
    expect(view.dimmed).toBeUndefined();
    expect(Array.from(view.plots[0].points!.find((s) => s.name === 'gradient weight, outliers')!.y)).toEqual([
      Math.fround(-0.2),
    ]);
    expect(view.legend.map((l) => l.mark)).toEqual(['circle', 'x', 'circle', 'x', 'dot']);
  });

  it('the loss axis ends at the inliers’ 99th percentile when a few losses dwarf the rest, and nowhere else', () => {
    const loss = Float32Array.from({ length: 200 }, (_, i) => (i < 100 ? -1 + i / 50 : 1e5 * (i / 200)));
    const isOutlier = Uint8Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
    const axis = lossAxisEnd(loss, isOutlier);
    expect(axis.lo).toBe(-1);
    expect(axis.hi).toBeCloseTo(0.96, 5);
    // Every outlier beyond, and the one inlier above the 99th percentile.
    expect([axis.beyond, axis.outliersBeyond]).toEqual([101, 100]);
    // Where the weighting cuts off (weights under 0.02 beyond ℓ = 0), the axis ends just past the last weighted point,
    // even where that lies among the outliers, beyond every inlier.
    const w = Float32Array.from(loss, (l) => (l <= 0 ? 1 : 0));
    expect(lossAxisEnd(loss, isOutlier, w).hi).toBeCloseTo(0.1, 5);
    const w2 = Float32Array.from(loss, (l) => (l < 60000 ? 1 : 0));
    expect(lossAxisEnd(loss, isOutlier, w2).hi).toBeCloseTo(59500 + 0.1 * 59501, 0);
    // Losses of one scale are not clipped.
    expect(lossAxisEnd(Float32Array.from([0, 1, 2, 3]), Uint8Array.from([0, 0, 0, 0])).beyond).toBe(0);
  });

  it('in the warm-up no weight colours the points and the weights view is greyed with its step', () => {
    const warming = { ...model, phase: 0 as const, steps: 120 };
    const fig = fitFigure(snapshot, warming, spec, points, {
      revision: 'r',
      warmup: { meanSteps: 400, nllSteps: 400 },
    });
    expect(fig.heading!.colorScale).toBeUndefined();
    expect(fig.points![0].color).toBe('#8a94a3');
    expect(fig.heading!.subtitle).toContain('warm-up: mean only (step 120 of 400)');
    // σ is untouched in the mean-only phase: no σ error is quoted.
    expect(fig.heading!.subtitle).not.toContain('σ err');
    const nll = fitFigure(snapshot, { ...model, phase: 1 as const, steps: 500 }, spec, points, {
      revision: 'r',
      warmup: { meanSteps: 400, nllSteps: 400 },
    });
    expect(nll.heading!.subtitle).toContain('warm-up: NLL (step 500 of 800)');
    expect(weightsView(warming, spec, points, 'r', { meanSteps: 400, nllSteps: 400 }).dimmed).toBe(
      'warm-up: mean only (step 120 of 400): no weight is used yet',
    );
  });

  it('the point layer: colours interpolate the scale and clamp; mid-drag ranges are read from the event', () => {
    const scale: [number, string][] = [
      [0, '#000000'],
      [0.5, '#ff0000'],
      [1, '#ffffff'],
    ];
    expect(scaleColor(0, 0, 2, scale)).toBe('rgb(0,0,0)');
    expect(scaleColor(0.5, 0, 2, scale)).toBe('rgb(128,0,0)');
    expect(scaleColor(1, 0, 2, scale)).toBe('rgb(255,0,0)');
    expect(scaleColor(1.5, 0, 2, scale)).toBe('rgb(255,128,128)');
    expect(scaleColor(99, 0, 2, scale)).toBe('rgb(255,255,255)');
    expect(scaleColor(NaN, 0, 2, scale)).toBe('rgb(0,0,0)');
    expect(
      rangesFromEvent({ 'xaxis.range[0]': 1, 'xaxis.range[1]': 2, 'yaxis2.range': [3, 4], 'xaxis.autorange': true }),
    ).toEqual({ xaxis: [1, 2], yaxis2: [3, 4] });
    expect(rangesFromEvent({ 'xaxis.range[0]': 1 })).toEqual({});
  });

  it('the shape view draws ρ and ψ of the current α, and the Boltzmann weight for T and B', () => {
    const view = shapeView({ alpha: 0, c: 1, T: 2, batch: 10, beta: 0.5 }, barronRho, barronPsi);
    const rho = view.plots[0].data.find((t) => t.name === 'ρ(x, α, c)') as { x: number[]; y: number[] };
    const i = rho.x.findIndex((x) => Math.abs(x - 2) < 1e-9);
    expect(rho.y[i]).toBeCloseTo(Math.log(3), 12);
    const w = view.plots[1].data.find((t) => String(t.name).startsWith('B·w')) as { x: number[]; y: number[] };
    const z = w.x.findIndex((x) => Math.abs(x) < 1e-9);
    expect(w.y[z]).toBeCloseTo(1, 12);
  });

  it("names each wrapper's own gradient weight (eq. 7's α only for eq. 6), and a Student-t band at ν ≤ 2 as a scale", () => {
    expect(gradWeightLabel(modelSpec('robust-nll'))).toMatch(/α.*eq\. 7/);
    expect(gradWeightLabel(modelSpec('tilted-nll'))).toMatch(/constant/);
    expect(gradWeightLabel(modelSpec('superloss-nll'))).toMatch(/σ\*/);
    expect(gradWeightLabel(modelSpec('nll'))).toMatch(/plain/);
    const t = fitFigure(
      snapshot,
      { ...model, loss: 'student-t', bandIsScale: true },
      modelSpec('student-t', { nu: 2 }),
      points,
      { revision: 'r' },
    );
    expect(t.data.some((d) => String(d.name).includes('scale'))).toBe(true);
  });

  it('training curves: five metrics per model on log-scaled steps, calibration among them', () => {
    const view = curvesView(
      [
        {
          step: 1,
          models: [{ id: 'm1', rmse: 1, nll: 2, outlierWeightShare: 0.2, miscalibrationArea: 0.3, crps: 0.9 }],
        },
        {
          step: 10,
          models: [{ id: 'm1', rmse: 0.5, nll: 1, outlierWeightShare: 0.1, miscalibrationArea: 0.05, crps: 0.4 }],
        },
      ],
      [spec, modelSpec('nll', { id: 'm2' })],
      'r',
    );
    expect(view.plots.length).toBe(5);
    for (const plot of view.plots) {
      expect(plot.data.length).toBe(2);
      expect((plot.layout.xaxis as { type: string }).type).toBe('log');
    }
    expect(view.plots[0].data[0].y).toEqual([1, 0.5]);
    expect(view.plots[2].data[0].y).toEqual([0.2, 0.1]);
    expect(view.plots[3].heading!.title).toMatch(/miscalibration area/);
    expect(view.plots[3].data[0].y).toEqual([0.3, 0.05]);
    expect(view.plots[4].data[0].y).toEqual([0.9, 0.4]);
    expect(view.legend.map((l) => l.name)).toEqual(['1: Robust-NLL (T=16)', '2: NLL']);
    // Readable at 360 px: at most five ticks per axis, labels of our own, never rotated.
    for (const plot of view.plots) {
      for (const axis of [plot.layout.xaxis, plot.layout.yaxis] as Record<string, unknown>[]) {
        expect(axis.tickangle).toBe(0);
        if (axis.tickvals) expect((axis.tickvals as number[]).length).toBeLessThanOrEqual(5);
        else expect(axis.nticks).toBeLessThanOrEqual(5);
      }
    }
  });

  it('training curves: a metric no model has is a note, not empty axes; one large plot on request', () => {
    const h = [1, 10, 100].map((step) => ({
      step,
      models: [{ id: 'm1', rmse: 1 / step, nll: NaN, outlierWeightShare: 0, miscalibrationArea: NaN, crps: NaN }],
    }));
    const view = curvesView(h, [modelSpec('mse', { id: 'm1' })], 'r', { outliers: false });
    expect(view.plots.map((p) => Boolean(p.note))).toEqual([false, true, true, true, true]);
    expect(view.plots[1].note).toMatch(/predicts a variance/);
    expect(view.plots[2].note).toMatch(/no injected outliers/);
    const large = curvesView(h, [modelSpec('mse', { id: 'm1' })], 'r', { large: 'rmse' });
    expect(large.plots.length).toBe(1);
    expect((large.plots[0].layout.yaxis as { ticktext: string[] }).ticktext).toEqual(['0.01', '0.1', '1']);
  });

  it('the shape view’s log axes are labelled as numbers, not SI prefixes', () => {
    const view = shapeView({ alpha: 1, c: 1, T: 1, batch: 16, beta: 0.5 }, barronRho, barronPsi);
    for (const plot of view.plots.slice(1)) {
      const y = plot.layout.yaxis as { type: string; ticktext: string[] };
      expect(y.type).toBe('log');
      expect(y.ticktext.length).toBeGreaterThanOrEqual(2);
      expect(y.ticktext.length).toBeLessThanOrEqual(5);
      for (const t of y.ticktext) expect(t).not.toMatch(/[μnmk]$/);
    }
  });
});

describe('warm-up notes', () => {
  it('give the step of N only where the schedule fits the phase', () => {
    expect(warmupNote({ phase: 0, steps: 118 }, { meanSteps: 400, nllSteps: 400 })).toBe(
      'warm-up: mean only (step 118 of 400)',
    );
    // The last frame of a run beside the next run's schedule: no contradictory "step 118 of 0".
    expect(warmupNote({ phase: 0, steps: 118 }, { meanSteps: 0, nllSteps: 0 })).toBe('warm-up: mean only');
    expect(warmupNote({ phase: 2, steps: 5000 }, { meanSteps: 400, nllSteps: 400 })).toBeNull();
  });
});
