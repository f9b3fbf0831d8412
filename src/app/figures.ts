// Plotly figures as pure functions of a snapshot: (snapshot, options) → { data, layout }. No DOM here.
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import { BARRON_NAMED, lossLabel, lossHypers, parseLossId, predictsVariance, type HyperId } from '../core/losses';
import type { ModelSpec } from '../core/config';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

const COLORS = {
  truth: '#222',
  mean: '#1f6fd1',
  band: 'rgba(31, 111, 209, 0.18)',
  truthBand: 'rgba(0, 0, 0, 0.35)',
};

/** A weight colour scale: grey-blue for down-weighted points, orange-red for up-weighted ones. */
const WEIGHT_SCALE = [
  [0, '#c9cfd8'],
  [0.5, '#6b8fb8'],
  [1, '#e4572e'],
];

function fmt(v: number): string {
  if (!Number.isFinite(v)) return v === Infinity ? '∞' : v === -Infinity ? '−∞' : '–';
  const a = Math.abs(v);
  if (a !== 0 && (a < 0.01 || a >= 1e4)) return v.toExponential(1);
  return String(Number(v.toPrecision(3)));
}

const HYPER_LABEL: Record<HyperId, (s: ModelSpec) => string> = {
  T: (s) => `T=${fmt(s.T)}`,
  beta: (s) => `β=${fmt(s.beta)}`,
  alpha: (s) => `α=${fmt(s.alpha)}`,
  c: (s) => `c=${fmt(s.c)}`,
  lambda: (s) => `λ=${fmt(s.lambda)}`,
  tau: (s) => (s.tauMode === 'fixed' ? `τ=${fmt(s.tau)}` : ''),
  tauMode: (s) => (s.tauMode === 'fixed' ? '' : `τ: ${s.tauMode}`),
  nu: (s) => `ν=${fmt(s.nu)}`,
};

/** "Robust-NLL (T=16)" — the loss and its live hyperparameters. */
export function modelTitle(spec: ModelSpec): string {
  const hypers = lossHypers(spec.loss)
    .map((h) => HYPER_LABEL[h](spec))
    .filter(Boolean);
  return hypers.length ? `${lossLabel(spec.loss)} (${hypers.join(', ')})` : lossLabel(spec.loss);
}

const PHASES = ['warm-up: mean only', 'warm-up: NLL', ''];

/** Which per-point value colours the points: σ* for SuperLoss, the relative Boltzmann weight otherwise. */
export function pointWeights(spec: ModelSpec, model: ModelSnapshot): { values: Float32Array; label: string } {
  return parseLossId(spec.loss).wrapper === 'superloss' ? { values: model.sigmaStar, label: 'σ*' } : { values: model.weight, label: 'B·wᵢ' };
}

export interface FitOptions {
  /** Keeps the user's zoom across updates (Plotly's uirevision). */
  revision: string;
  showColorbar?: boolean;
}

/**
 * The fit panel: data (outliers as crosses) coloured by weight, the true mean (dotted) and true ±2σ,
 * the predicted mean and its ±2σ band as one closed polygon.
 */
export function fitFigure(snapshot: Snapshot, index: number, spec: ModelSpec, points: Points, options: FitOptions): Figure {
  const model = snapshot.models[index];
  const grid = Array.from(snapshot.grid);
  const mu = Array.from(model.mu);
  const sigma = Array.from(model.sigma);
  const { values, label } = pointWeights(spec, model);
  const inlier: number[] = [];
  const outlier: number[] = [];
  points.isOutlier.forEach((o, i) => (o ? outlier : inlier).push(i));
  const pick = (idx: number[], arr: ArrayLike<number>) => idx.map((i) => arr[i]);
  const marker = (idx: number[], symbol: string, showscale: boolean) => ({
    color: pick(idx, values),
    cmin: 0,
    cmax: 2,
    colorscale: WEIGHT_SCALE,
    size: symbol === 'x' ? 6 : 5,
    symbol,
    opacity: 0.75,
    showscale,
    colorbar: showscale ? { title: { text: label, side: 'right' }, thickness: 10, len: 0.7, tickvals: [0, 1, 2], ticktext: ['0', '1', '≥2'] } : undefined,
  });
  const data: Record<string, unknown>[] = [];
  if (predictsVariance(spec.loss)) {
    const upper = mu.map((m, i) => m + 2 * sigma[i]);
    const lower = mu.map((m, i) => m - 2 * sigma[i]);
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [...grid, ...grid.slice().reverse()],
      y: [...upper, ...lower.reverse()],
      fill: 'toself',
      fillcolor: COLORS.band,
      line: { width: 0 },
      name: 'μ ± 2σ',
      hoverinfo: 'skip',
    });
  }
  data.push(
    { type: 'scatter', mode: 'markers', x: pick(inlier, points.x), y: pick(inlier, points.y), name: 'data', marker: marker(inlier, 'circle', options.showColorbar ?? true), hovertemplate: `x=%{x:.2f}<br>y=%{y:.2f}<br>${label}=%{marker.color:.2f}<extra>data</extra>` },
    { type: 'scatter', mode: 'markers', x: pick(outlier, points.x), y: pick(outlier, points.y), name: 'injected outliers', marker: marker(outlier, 'x', false), hovertemplate: `x=%{x:.2f}<br>y=%{y:.2f}<br>${label}=%{marker.color:.2f}<extra>outlier</extra>` },
  );
  if (snapshot.truthMean && snapshot.truthStd) {
    const tm = Array.from(snapshot.truthMean);
    const ts = Array.from(snapshot.truthStd);
    data.push(
      { type: 'scatter', mode: 'lines', x: grid, y: tm, name: 'true mean', line: { color: COLORS.truth, dash: 'dot', width: 2 }, hoverinfo: 'skip' },
      { type: 'scatter', mode: 'lines', x: grid, y: tm.map((m, i) => m + 2 * ts[i]), name: 'true ±2σ', line: { color: COLORS.truthBand, dash: 'dash', width: 1 }, hoverinfo: 'skip' },
      { type: 'scatter', mode: 'lines', x: grid, y: tm.map((m, i) => m - 2 * ts[i]), showlegend: false, line: { color: COLORS.truthBand, dash: 'dash', width: 1 }, hoverinfo: 'skip' },
    );
  }
  data.push({ type: 'scatter', mode: 'lines', x: grid, y: mu, name: 'predicted μ', line: { color: COLORS.mean, width: 2.5 } });
  const phase = PHASES[model.phase];
  const rmse = Number.isFinite(model.metrics.rmse) ? `RMSE ${fmt(model.metrics.rmse)}` : '';
  const sigmaErr = predictsVariance(spec.loss) && Number.isFinite(model.metrics.sigmaError) ? ` · σ err ${fmt(model.metrics.sigmaError)}` : '';
  const yRange = yRangeOf(snapshot, points);
  return {
    data,
    layout: {
      title: { text: `<b>${modelTitle(spec)}</b><br><span style="font-size:12px">${rmse}${sigmaErr}${phase ? ` · ${phase}` : ''}</span>`, font: { size: 14 }, x: 0.02, xanchor: 'left' },
      margin: { l: 40, r: 10, t: 54, b: 30 },
      showlegend: false,
      uirevision: options.revision,
      xaxis: { zeroline: false, range: [grid[0], grid[grid.length - 1]] },
      yaxis: { zeroline: false, range: yRange },
      plot_bgcolor: '#fff',
      paper_bgcolor: '#fff',
      hovermode: 'closest',
    },
  };
}

/** A y range that frames the truth and the inliers, so a few far outliers do not squash the picture. */
export function yRangeOf(snapshot: Snapshot, points: Points): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number) => {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  if (snapshot.truthMean && snapshot.truthStd) snapshot.truthMean.forEach((m, i) => (take(m + 2.5 * snapshot.truthStd![i]), take(m - 2.5 * snapshot.truthStd![i])));
  else points.y.forEach((y, i) => !points.isOutlier[i] && take(y));
  const pad = 0.15 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}

const MODEL_COLORS = ['#1f6fd1', '#e4572e', '#2a9d8f', '#9b5de5', '#f4a261', '#6c757d', '#d62828', '#3a86ff'];

/** Weights view: B·wᵢ and αⱼ (relative) of one model against x and against the sample's own loss. */
export function weightsFigure(snapshot: Snapshot, index: number, spec: ModelSpec, points: Points, revision: string): Figure {
  const m = snapshot.models[index];
  const out: number[] = [];
  const inl: number[] = [];
  // At most about 600 points per view: enough to read the pattern, light enough to redraw every second.
  const stride = Math.max(1, Math.ceil(points.x.length / 600));
  points.isOutlier.forEach((o, i) => i % stride === 0 && (o ? out : inl).push(i));
  const pick = (idx: number[], a: ArrayLike<number>) => idx.map((i) => a[i]);
  const { values, label } = pointWeights(spec, m);
  const series = (x: ArrayLike<number>, xaxis: string, yaxis: string, show: boolean) => [
    { type: 'scatter', mode: 'markers', x: pick(inl, x), y: pick(inl, values), xaxis, yaxis, name: `${label}, inliers`, marker: { color: '#1f6fd1', size: 4, opacity: 0.6 }, showlegend: show },
    { type: 'scatter', mode: 'markers', x: pick(out, x), y: pick(out, values), xaxis, yaxis, name: `${label}, outliers`, marker: { color: '#e4572e', size: 5, symbol: 'x', opacity: 0.7 }, showlegend: show },
    { type: 'scatter', mode: 'markers', x: pick(inl, x), y: pick(inl, m.gradWeight), xaxis, yaxis, name: 'B·αⱼ (eq. 7), inliers', marker: { color: '#2a9d8f', size: 3, opacity: 0.5 }, showlegend: show },
    { type: 'scatter', mode: 'markers', x: pick(out, x), y: pick(out, m.gradWeight), xaxis, yaxis, name: 'B·αⱼ, outliers', marker: { color: '#9b5de5', size: 4, symbol: 'x', opacity: 0.6 }, showlegend: show },
  ];
  // Weights span orders of magnitude and αⱼ can be negative: frame the bulk, at least [−0.2, 2].
  const all = [...Array.from(values), ...Array.from(m.gradWeight)].filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => all[Math.floor(p * (all.length - 1))] ?? 0;
  const weightRange = [Math.min(-0.2, q(0.01) * 1.1), Math.max(2, q(0.99) * 1.1)];
  // Frame the loss axis on the bulk of the points: a few huge outlier losses would squash the rest.
  const sorted = Array.from(m.sampleLoss).filter(Number.isFinite).sort((a, b) => a - b);
  const lossRange = [sorted[0] ?? 0, sorted[Math.floor(0.97 * (sorted.length - 1))] ?? 1];
  const one = (xaxis: string) => ({ type: 'scatter', mode: 'lines', x: xaxis === 'x' ? [Math.min(...points.x), Math.max(...points.x)] : lossRange, y: [1, 1], xaxis, yaxis: xaxis === 'x' ? 'y' : 'y2', line: { color: '#222', dash: 'dot', width: 1 }, name: '1 = plain averaging', showlegend: xaxis === 'x' });
  return {
    data: [...series(points.x, 'x', 'y', true), ...series(m.sampleLoss, 'x2', 'y2', false), one('x'), one('x2')],
    layout: {
      title: { text: `<b>Weights</b> of ${modelTitle(spec)}`, font: { size: 14 }, x: 0.02, xanchor: 'left' },
      grid: { rows: 1, columns: 2, pattern: 'independent' },
      xaxis: { title: { text: 'x' } },
      xaxis2: { title: { text: 'per-sample loss ℓᵢ' }, range: [lossRange[0] - 0.05 * (lossRange[1] - lossRange[0]), lossRange[1]] },
      yaxis: { title: { text: 'relative weight' }, range: weightRange },
      yaxis2: { range: weightRange },
      margin: { l: 50, r: 10, t: 40, b: 40 },
      legend: { orientation: 'h', y: -0.25 },
      uirevision: revision,
    },
  };
}

/** Loss-shape view: Barron's ρ and ψ for α, the Boltzmann weight against NLL for T and B, β-NLL's sampling weight. */
export function shapeFigure(opts: { alpha: number; c: number; T: number; batch: number; beta: number }, rho: (x: number, a: number, c: number) => number, psi: (x: number, a: number, c: number) => number): Figure {
  // Residuals in units of the scale c, so the shape reads the same whatever c is.
  const xs = Array.from({ length: 241 }, (_, i) => opts.c * (-6 + i * 0.05));
  const faint = BARRON_NAMED.map(({ alpha, name }) => ({ type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => rho(x, alpha, opts.c)), xaxis: 'x', yaxis: 'y', line: { color: '#bbb', width: 1 }, name, showlegend: false, hoverinfo: 'name' }));
  // Boltzmann weight of a sample whose NLL exceeds the others' (all at 0) by Δ, relative to 1/B.
  const span = Number.isFinite(opts.T) ? opts.T : 4;
  const deltas = Array.from({ length: 201 }, (_, i) => span * (-2 + i * 0.1));
  const relW = (d: number) => (Number.isFinite(opts.T) ? (opts.batch * Math.exp(-d / opts.T)) / (opts.batch - 1 + Math.exp(-d / opts.T)) : 1);
  const sig = Array.from({ length: 100 }, (_, i) => 0.05 + i * 0.05);
  return {
    data: [
      ...faint,
      { type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => rho(x, opts.alpha, opts.c)), xaxis: 'x', yaxis: 'y', line: { color: '#1f6fd1', width: 2.5 }, name: 'ρ(x, α, c)' },
      { type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => psi(x, opts.alpha, opts.c)), xaxis: 'x', yaxis: 'y', line: { color: '#e4572e', width: 2, dash: 'dash' }, name: 'ψ = ∂ρ/∂x' },
      { type: 'scatter', mode: 'lines', x: deltas, y: deltas.map(relW), xaxis: 'x2', yaxis: 'y2', line: { color: '#2a9d8f', width: 2.5 }, name: `B·w vs ΔNLL (T = ${Number.isFinite(opts.T) ? opts.T.toPrecision(3) : '∞'}, B = ${opts.batch})` },
      { type: 'scatter', mode: 'lines', x: sig, y: sig.map((s) => s ** (2 * opts.beta) / (s * s)), xaxis: 'x3', yaxis: 'y3', line: { color: '#9b5de5', width: 2.5 }, name: `σ^(2β)/σ² (β = ${opts.beta})` },
    ],
    layout: {
      title: { text: '<b>Loss shapes</b> (live with the sliders)', font: { size: 14 }, x: 0.02, xanchor: 'left' },
      grid: { rows: 1, columns: 3, pattern: 'independent' },
      xaxis: { title: { text: `residual x (c = ${opts.c.toPrecision(2)})` } },
      yaxis: { range: [-1.5 / opts.c, 6] },
      xaxis2: { title: { text: 'NLL above the batch (Δ)' } },
      yaxis2: { type: 'log', title: { text: 'relative weight' } },
      xaxis3: { title: { text: 'σ' } },
      yaxis3: { type: 'log', title: { text: 'effective weight' } },
      margin: { l: 50, r: 10, t: 40, b: 40 },
      legend: { orientation: 'h', y: -0.25 },
    },
  };
}

export interface HistoryPoint {
  step: number;
  models: { rmse: number; nll: number; outlierWeightShare: number }[];
}

/** Training curves for all models: RMSE to the truth, clean NLL, outlier weight share, on log-scaled steps. */
export function curvesFigure(history: HistoryPoint[], specs: ModelSpec[], revision: string): Figure {
  const steps = history.map((h) => Math.max(1, h.step));
  const data = specs.flatMap((s, k) =>
    (['rmse', 'nll', 'outlierWeightShare'] as const).map((key, j) => ({
      type: 'scatter',
      mode: 'lines',
      x: steps,
      y: history.map((h) => h.models[k]?.[key] ?? null),
      xaxis: j === 0 ? 'x' : `x${j + 1}`,
      yaxis: j === 0 ? 'y' : `y${j + 1}`,
      line: { color: MODEL_COLORS[k % MODEL_COLORS.length], width: 2 },
      name: `${k + 1}: ${modelTitle(s)}`,
      legendgroup: String(k),
      showlegend: j === 0,
    })),
  );
  return {
    data,
    layout: {
      title: { text: '<b>Training curves</b>', font: { size: 14 }, x: 0.02, xanchor: 'left' },
      grid: { rows: 1, columns: 3, pattern: 'independent' },
      xaxis: { type: 'log', title: { text: 'step' } },
      xaxis2: { type: 'log', title: { text: 'step' } },
      xaxis3: { type: 'log', title: { text: 'step' } },
      yaxis: { type: 'log', title: { text: 'RMSE to the truth' } },
      yaxis2: { title: { text: 'clean NLL' } },
      yaxis3: { title: { text: 'outlier weight share' }, range: [0, 1] },
      margin: { l: 50, r: 10, t: 40, b: 40 },
      legend: { orientation: 'h', y: -0.25 },
      uirevision: revision,
    },
  };
}
