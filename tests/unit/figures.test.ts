// The Plotly figures are pure functions of a snapshot: tested as data.
import { describe, expect, it } from 'vitest';
import { curvesFigure, fitFigure, modelTitle, shapeFigure, weightsFigure } from '../../src/app/figures';
import { modelSpec } from '../../src/core/config';
import { barronPsi, barronRho } from '../../src/core/losses';
import type { Snapshot } from '../../src/core/engine';
import type { Points } from '../../src/core/datasets';

const points: Points = { x: Float32Array.from([0, 1, 2, 3]), y: Float32Array.from([0, 1, 9, 3]), isOutlier: Uint8Array.from([0, 0, 1, 0]) };
const grid = Float32Array.from([0, 1, 2, 3]);
const model = {
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
  weights: new Float32Array(0),
};
const snapshot: Snapshot = { step: 10, backend: 'cpu', grid, truthMean: grid, truthStd: Float32Array.from([0.5, 0.5, 0.5, 0.5]), models: [model] };
const spec = modelSpec('robust-nll', { T: 16 });

describe('figures', () => {
  it('the fit panel: a closed ±2σ polygon, outliers as crosses, weights as colours, the loss and RMSE in the title', () => {
    const fig = fitFigure(snapshot, 0, spec, points, { revision: 'r' });
    const band = fig.data.find((t) => t.name === 'μ ± 2σ')!;
    expect(band.fill).toBe('toself');
    expect(band.x).toEqual([0, 1, 2, 3, 3, 2, 1, 0]);
    expect(band.y).toEqual([2, 3, 4, 5, 1, 0, -1, -2]);
    const outliers = fig.data.find((t) => t.name === 'injected outliers')! as { x: number[]; marker: { symbol: string; color: number[] } };
    expect(outliers.x).toEqual([2]);
    expect(outliers.marker.symbol).toBe('x');
    expect(outliers.marker.color).toEqual([Math.fround(0.01)]);
    const title = (fig.layout.title as { text: string }).text;
    expect(title).toContain('Robust-NLL (T=16)');
    expect(title).toContain('RMSE 0.25');
    expect(fig.layout.uirevision).toBe('r');
  });

  it('mean-only losses draw no band, and SuperLoss colours points by σ*', () => {
    const mse = fitFigure(snapshot, 0, modelSpec('mse'), points, { revision: 'r' });
    expect(mse.data.some((t) => t.name === 'μ ± 2σ')).toBe(false);
    const sl = fitFigure(snapshot, 0, modelSpec('superloss-nll'), points, { revision: 'r' });
    expect((sl.data.find((t) => t.name === 'injected outliers') as { marker: { color: number[] } }).marker.color).toEqual([Math.fround(0.3)]);
  });

  it('titles carry the live hyperparameters, with ∞ and −∞ spelled out', () => {
    expect(modelTitle(modelSpec('robust-nll', { T: Infinity }))).toBe('Robust-NLL (T=∞)');
    expect(modelTitle(modelSpec('barron', { alpha: -Infinity, c: 0.1 }))).toBe('Barron (α=−∞, c=0.1)');
    expect(modelTitle(modelSpec('superloss-mse', { lambda: 2, tauMode: 'ema' }))).toBe('SuperLoss(MSE) (λ=2, τ: ema)');
  });

  it('the weights view plots B·wᵢ and B·αⱼ with a line at 1, and frames negative gradient weights', () => {
    const fig = weightsFigure(snapshot, 0, spec, points, 'r');
    // One reference line per subplot (against x, against the loss).
    expect(fig.data.filter((t) => t.name === '1 = plain averaging').length).toBe(2);
    expect((fig.layout.yaxis as { range: number[] }).range[0]).toBeLessThan(-0.2);
  });

  it('the shape view draws ρ and ψ of the current α, and the Boltzmann weight for T and B', () => {
    const fig = shapeFigure({ alpha: 0, c: 1, T: 2, batch: 10, beta: 0.5 }, barronRho, barronPsi);
    const rho = fig.data.find((t) => t.name === 'ρ(x, α, c)') as { x: number[]; y: number[] };
    const i = rho.x.findIndex((x) => Math.abs(x - 2) < 1e-9);
    expect(rho.y[i]).toBeCloseTo(Math.log(3), 12);
    const w = fig.data.find((t) => String(t.name).startsWith('B·w')) as { x: number[]; y: number[] };
    const z = w.x.findIndex((x) => Math.abs(x) < 1e-9);
    expect(w.y[z]).toBeCloseTo(1, 12);
  });

  it('training curves: three metrics per model on log-scaled steps', () => {
    const fig = curvesFigure([{ step: 1, models: [{ rmse: 1, nll: 2, outlierWeightShare: 0.2 }] }, { step: 10, models: [{ rmse: 0.5, nll: 1, outlierWeightShare: 0.1 }] }], [spec], 'r');
    expect(fig.data.length).toBe(3);
    expect((fig.layout.xaxis as { type: string }).type).toBe('log');
  });
});
