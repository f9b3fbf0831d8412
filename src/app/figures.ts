// Plotly figures as pure functions of a snapshot: (snapshot, options) → { data, layout }. No DOM here.
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import { lossLabel, lossHypers, parseLossId, predictsVariance, type HyperId } from '../core/losses';
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
