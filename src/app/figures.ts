// Plotly figures as pure functions of a snapshot: (snapshot, options) → { data, layout }. No DOM here.
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import { BARRON_NAMED, lossLabel, lossHypers, parseLossId, predictsVariance, type HyperId } from '../core/losses';
import type { ModelSpec } from '../core/config';
import { judgedSet } from '../core/uncertainty';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  /** Scatter points drawn on a canvas under the Plotly traces (see pointLayer.ts); SVG traces for export. */
  points?: PointSet[];
  /**
   * The plot's title, drawn as HTML above it: Plotly measures and redraws SVG titles on every update,
   * which on a slow machine costs more than the lines themselves. PNG export puts it back in the image.
   */
  heading?: { title: string; subtitle?: string; colorScale?: { label: string; scale: [number, string][]; cmin: number; cmax: number } };
}

/** Colours from values on a piecewise-linear scale of [fraction, '#rrggbb'] stops over [cmin, cmax]. */
export interface ColorScale {
  values: ArrayLike<number>;
  cmin: number;
  cmax: number;
  scale: [number, string][];
}

/** Markers of one kind on one pair of axes. */
export interface PointSet {
  name: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  xaxis?: string;
  yaxis?: string;
  symbol: 'circle' | 'x';
  size: number;
  opacity: number;
  color: string | ColorScale;
  /** The hover text of point i; sets without one are not hoverable. */
  hover?: (i: number) => string;
  /** Where point i sits in the data (for removing it with a click). */
  index?: number[];
}

/** The point sets as ordinary Plotly scatter traces (for PNG export, where they must be in the SVG). */
export function pointTraces(sets: PointSet[]): Record<string, unknown>[] {
  return sets.map((s) => ({
    type: 'scatter',
    mode: 'markers',
    name: s.name,
    x: Array.from(s.x),
    y: Array.from(s.y),
    xaxis: s.xaxis ?? 'x',
    yaxis: s.yaxis ?? 'y',
    showlegend: false,
    hoverinfo: 'skip',
    marker:
      typeof s.color === 'string'
        ? { color: s.color, size: s.size, symbol: s.symbol, opacity: s.opacity }
        : { color: Array.from(s.color.values), cmin: s.color.cmin, cmax: s.color.cmax, colorscale: s.color.scale, size: s.size, symbol: s.symbol, opacity: s.opacity },
  }));
}

const COLORS = {
  truth: '#222',
  mean: '#1f6fd1',
  band: 'rgba(31, 111, 209, 0.18)',
  truthBand: 'rgba(0, 0, 0, 0.35)',
};

/** A weight colour scale: grey-blue for down-weighted points, orange-red for up-weighted ones. */
const WEIGHT_SCALE: [number, string][] = [
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
}

/** Indices of the inliers and of the injected outliers. */
function splitByOutlier(points: Points): [number[], number[]] {
  const inlier: number[] = [];
  const outlier: number[] = [];
  points.isOutlier.forEach((o, i) => (o ? outlier : inlier).push(i));
  return [inlier, outlier];
}

/** Backgrounds left transparent, so the point canvas under a figure shows through. */
const SEE_THROUGH = { plot_bgcolor: 'rgba(0,0,0,0)', paper_bgcolor: 'rgba(0,0,0,0)' };

/** The fit panel's layout, the same before and after the first step so the panel does not jump. */
function fitLayout(xRange: number[], yRange: number[], revision: string): Record<string, unknown> {
  return {
    margin: { l: 40, r: 10, t: 8, b: 30 },
    showlegend: false,
    uirevision: revision,
    xaxis: { zeroline: false, range: xRange, nticks: 6 },
    yaxis: { zeroline: false, range: yRange, nticks: 6 },
    hovermode: 'closest',
    ...SEE_THROUGH,
  };
}

/**
 * The fit panel: data (outliers as crosses) coloured by weight, the true mean (dotted) and true ±2σ,
 * the predicted mean and its ±2σ band as one closed polygon.
 */
export function fitFigure(snapshot: Snapshot, model: ModelSnapshot, spec: ModelSpec, points: Points, options: FitOptions): Figure {
  const grid = Array.from(snapshot.grid);
  const mu = Array.from(model.mu);
  const sigma = Array.from(model.sigma);
  const { values, label } = pointWeights(spec, model);
  const [inlier, outlier] = splitByOutlier(points);
  const pick = (idx: number[], arr: ArrayLike<number>) => idx.map((i) => arr[i]);
  const pointSet = (idx: number[], symbol: 'circle' | 'x', name: string): PointSet => {
    const w = pick(idx, values);
    const x = pick(idx, points.x);
    const y = pick(idx, points.y);
    return {
      name,
      x,
      y,
      index: idx,
      symbol,
      size: symbol === 'x' ? 6 : 5,
      opacity: 0.75,
      color: { values: w, cmin: 0, cmax: 2, scale: WEIGHT_SCALE },
      hover: (i) => `${name}<br>x = ${fmt(x[i])}, y = ${fmt(y[i])}<br>${label} = ${fmt(w[i])}`,
    };
  };
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
      // Student-t with ν ≤ 2 has no finite variance: its band is drawn at ±2 × its scale, and says so.
      name: model.bandIsScale ? 'μ ± 2·scale (ν ≤ 2: no finite σ)' : 'μ ± 2σ',
      hoverinfo: 'skip',
    });
  }
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
  return {
    data,
    points: [pointSet(inlier, 'circle', 'data'), pointSet(outlier, 'x', 'injected outliers')],
    heading: { title: modelTitle(spec), subtitle: `${rmse}${sigmaErr}${phase ? ` · ${phase}` : ''}`, colorScale: { label, scale: WEIGHT_SCALE, cmin: 0, cmax: 2 } },
    layout: fitLayout([grid[0], grid[grid.length - 1]], yRangeOf(snapshot, points), options.revision),
  };
}

/** The fit panel before the first training step: the data alone, on the axes the fit will use. */
export function dataFigure(spec: ModelSpec, points: Points, options: FitOptions): Figure {
  let lo = Infinity;
  let hi = -Infinity;
  points.x.forEach((x) => ((lo = Math.min(lo, x)), (hi = Math.max(hi, x))));
  const [inlier, outlier] = splitByOutlier(points);
  const grey = (idx: number[], symbol: 'circle' | 'x', name: string): PointSet => ({ name, x: idx.map((i) => points.x[i]), y: idx.map((i) => points.y[i]), index: idx, symbol, size: symbol === 'x' ? 6 : 5, opacity: 0.6, color: '#8a94a3' });
  return {
    data: [],
    points: [grey(inlier, 'circle', 'data'), grey(outlier, 'x', 'injected outliers')],
    heading: { title: modelTitle(spec), subtitle: 'waiting for the first training step…' },
    layout: fitLayout(Number.isFinite(lo) ? [lo, hi] : [0, 1], yRangeOf(null, points), options.revision),
  };
}

/** A y range that frames the truth and the inliers, so a few far outliers do not squash the picture. */
export function yRangeOf(snapshot: Snapshot | null, points: Points): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  const take = (v: number) => {
    if (Number.isFinite(v)) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
  };
  if (snapshot?.truthMean && snapshot.truthStd) snapshot.truthMean.forEach((m, i) => (take(m + 2.5 * snapshot.truthStd![i]), take(m - 2.5 * snapshot.truthStd![i])));
  else points.y.forEach((y, i) => !points.isOutlier[i] && take(y));
  const pad = 0.15 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}

const MODEL_COLORS = ['#1f6fd1', '#e4572e', '#2a9d8f', '#9b5de5', '#f4a261', '#6c757d', '#d62828', '#3a86ff'];

/** One legend entry of a view, drawn as HTML beside its plots. */
export interface LegendItem {
  name: string;
  color: string;
  /** A line (solid or dashed) or a marker. */
  mark: 'line' | 'dash' | 'dot' | 'circle' | 'x';
}

/**
 * A view: a row of single-axis plots sharing one HTML legend. Each plot is its own Plotly element, so a
 * redraw costs one small figure per animation frame instead of one long task for all subplots.
 */
export interface View {
  title: string;
  plots: Figure[];
  legend: LegendItem[];
}

function smallLayout(xaxis: Record<string, unknown>, yaxis: Record<string, unknown>, revision?: string): Record<string, unknown> {
  return {
    xaxis,
    yaxis,
    showlegend: false,
    margin: { l: 46, r: 8, t: 6, b: xaxis.title ? 38 : 24 },
    hovermode: 'closest',
    ...SEE_THROUGH,
    ...(revision ? { uirevision: revision } : {}),
  };
}

/** Weights view: B·wᵢ and αⱼ (relative) of one model against x and against the sample's own loss. */
/** What a model's gradient weight is (REVIEW bug 6: each wrapper trains with a different one). */
export function gradWeightLabel(spec: ModelSpec): string {
  switch (parseLossId(spec.loss).wrapper) {
    case 'boltzmann':
      return 'B·αⱼ (eq. 7)';
    case 'boltzmann-const':
      return 'B·wⱼ (constant weights)';
    case 'superloss':
      return 'σ*ⱼ (SuperLoss)';
    case 'none':
      return '1 (plain mean)';
  }
}

export function weightsView(m: ModelSnapshot, spec: ModelSpec, points: Points, revision: string): View {
  const out: number[] = [];
  const inl: number[] = [];
  // At most about 1500 points per plot: enough to read the pattern, light enough to redraw often.
  const stride = Math.max(1, Math.ceil(points.x.length / 1500));
  points.isOutlier.forEach((o, i) => i % stride === 0 && (o ? out : inl).push(i));
  const pick = (idx: number[], a: ArrayLike<number>) => idx.map((i) => a[i]);
  const { values, label } = pointWeights(spec, m);
  const kinds = [
    { name: `${label}, inliers`, idx: inl, w: values, color: '#1f6fd1', symbol: 'circle', size: 4, opacity: 0.6 },
    { name: `${label}, outliers`, idx: out, w: values, color: '#e4572e', symbol: 'x', size: 5, opacity: 0.7 },
    { name: `gradient weight ${gradWeightLabel(spec)}, inliers`, idx: inl, w: m.gradWeight, color: '#2a9d8f', symbol: 'circle', size: 3, opacity: 0.5 },
    { name: `gradient weight, outliers`, idx: out, w: m.gradWeight, color: '#9b5de5', symbol: 'x', size: 4, opacity: 0.6 },
  ] as const;
  const sets = (x: ArrayLike<number>, xname: string): PointSet[] =>
    kinds.map((k) => {
      const xs = pick(k.idx, x);
      const ys = pick(k.idx, k.w);
      return { name: k.name, x: xs, y: ys, color: k.color, symbol: k.symbol, size: k.size, opacity: k.opacity, hover: (i) => `${k.name}<br>${xname} = ${fmt(xs[i])}<br>weight = ${fmt(ys[i])}` };
    });
  // Weights span orders of magnitude and αⱼ can be negative: frame the bulk, at least [−0.2, 2].
  const all = [...Array.from(values), ...Array.from(m.gradWeight)].filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => all[Math.floor(p * (all.length - 1))] ?? 0;
  const weightRange = [Math.min(-0.2, q(0.01) * 1.1), Math.max(2, q(0.99) * 1.1)];
  // Frame the loss axis on the bulk of the points: a few huge outlier losses would squash the rest.
  const sorted = Array.from(m.sampleLoss).filter(Number.isFinite).sort((a, b) => a - b);
  const lossRange = [sorted[0] ?? 0, sorted[Math.floor(0.97 * (sorted.length - 1))] ?? 1];
  const xRange = [Math.min(...points.x), Math.max(...points.x)];
  const one = (x: number[]) => ({ type: 'scatter', mode: 'lines', x, y: [1, 1], line: { color: '#222', dash: 'dot', width: 1 }, name: '1 = plain averaging', hoverinfo: 'skip' });
  return {
    title: `Weights of ${modelTitle(spec)}`,
    plots: [
      { data: [one(xRange)], points: sets(points.x, 'x'), heading: { title: 'relative weight against x' }, layout: smallLayout({}, { range: weightRange }, revision) },
      {
        data: [one(lossRange)],
        points: sets(m.sampleLoss, 'ℓᵢ'),
        heading: { title: 'relative weight against the sample’s loss ℓᵢ' },
        layout: smallLayout({ range: [lossRange[0] - 0.05 * (lossRange[1] - lossRange[0]), lossRange[1]] }, { range: weightRange }, revision),
      },
    ],
    legend: [...kinds.map((k) => ({ name: k.name, color: k.color, mark: k.symbol })), { name: '1 = plain averaging', color: '#222', mark: 'dot' as const }],
  };
}

/** Loss-shape view: Barron's ρ and ψ for α, the Boltzmann weight against NLL for T and B, β-NLL's sampling weight. */
export function shapeView(opts: { alpha: number; c: number; T: number; batch: number; beta: number }, rho: (x: number, a: number, c: number) => number, psi: (x: number, a: number, c: number) => number): View {
  // Residuals in units of the scale c, so the shape reads the same whatever c is.
  const xs = Array.from({ length: 241 }, (_, i) => opts.c * (-6 + i * 0.05));
  const faint = BARRON_NAMED.map(({ alpha, name }) => ({ type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => rho(x, alpha, opts.c)), line: { color: '#bbb', width: 1 }, name, hoverinfo: 'name' }));
  // Boltzmann weight of a sample whose NLL exceeds the others' (all at 0) by Δ, relative to 1/B.
  const span = Number.isFinite(opts.T) ? opts.T : 4;
  const deltas = Array.from({ length: 201 }, (_, i) => span * (-2 + i * 0.1));
  const relW = (d: number) => (Number.isFinite(opts.T) ? (opts.batch * Math.exp(-d / opts.T)) / (opts.batch - 1 + Math.exp(-d / opts.T)) : 1);
  const sig = Array.from({ length: 100 }, (_, i) => 0.05 + i * 0.05);
  const T = Number.isFinite(opts.T) ? opts.T.toPrecision(3) : '∞';
  return {
    title: 'Loss shapes (live with the sliders)',
    plots: [
      {
        data: [
          ...faint,
          { type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => rho(x, opts.alpha, opts.c)), line: { color: '#1f6fd1', width: 2.5 }, name: 'ρ(x, α, c)' },
          { type: 'scatter', mode: 'lines', x: xs, y: xs.map((x) => psi(x, opts.alpha, opts.c)), line: { color: '#e4572e', width: 2, dash: 'dash' }, name: 'ψ = ∂ρ/∂x' },
        ],
        heading: { title: `Barron, α = ${fmt(opts.alpha)}` },
        layout: smallLayout({ title: { text: `residual x (c = ${opts.c.toPrecision(2)})` } }, { range: [-1.5 / opts.c, 6] }),
      },
      {
        data: [{ type: 'scatter', mode: 'lines', x: deltas, y: deltas.map(relW), line: { color: '#2a9d8f', width: 2.5 }, name: `B·w vs ΔNLL (T = ${T}, B = ${opts.batch})` }],
        heading: { title: `Boltzmann weight, T = ${T}, B = ${opts.batch}` },
        layout: smallLayout({ title: { text: 'NLL above the batch (Δ)' } }, { type: 'log', title: { text: 'relative weight' } }),
      },
      {
        data: [{ type: 'scatter', mode: 'lines', x: sig, y: sig.map((s) => s ** (2 * opts.beta) / (s * s)), line: { color: '#9b5de5', width: 2.5 }, name: `σ^(2β)/σ² (β = ${opts.beta})` }],
        heading: { title: `β-NLL weight, β = ${fmt(opts.beta)}` },
        layout: smallLayout({ title: { text: 'σ' } }, { type: 'log', title: { text: 'effective weight' } }),
      },
    ],
    legend: [
      { name: 'ρ(x, α, c)', color: '#1f6fd1', mark: 'line' },
      { name: 'ψ = ∂ρ/∂x', color: '#e4572e', mark: 'dash' },
      { name: 'L2, pseudo-Huber, Cauchy, Geman-McClure, Welsch', color: '#bbb', mark: 'line' },
      { name: 'B·wᵢ of a sample Δ above the rest of its batch', color: '#2a9d8f', mark: 'line' },
      { name: 'σ^(2β)/σ²: β-NLL’s weight relative to MSE', color: '#9b5de5', mark: 'line' },
    ],
  };
}

export interface HistoryPoint {
  step: number;
  /**
   * The models' metrics at that step, each with its model's id; miscalibration area and CRPS on the set the model
   * is judged on (the clean held-out set, or your own data's training inliers), NaN for mean-only models.
   */
  models: { id: string; rmse: number; nll: number; outlierWeightShare: number; miscalibrationArea: number; crps: number }[];
}

/** A snapshot's point on the training curves. */
export function historyPointOf(snapshot: Snapshot): HistoryPoint {
  return {
    step: snapshot.step,
    models: snapshot.models.map((m) => {
      const judged = judgedSet(m.uncertainty)?.metrics;
      return { id: m.id, rmse: m.metrics.rmse, nll: m.metrics.nll, outlierWeightShare: m.metrics.outlierWeightShare, miscalibrationArea: judged?.miscalibrationArea ?? NaN, crps: judged?.crps ?? NaN };
    }),
  };
}

/** Training curves for all models: RMSE to the truth, clean NLL, outlier weight share, miscalibration area and CRPS, on log-scaled steps. */
export function curvesView(history: HistoryPoint[], specs: ModelSpec[], revision: string): View {
  const steps = history.map((h) => Math.max(1, h.step));
  const metrics = [
    { key: 'rmse', title: 'RMSE to the truth', yaxis: { type: 'log' } },
    { key: 'nll', title: 'clean NLL', yaxis: {} },
    { key: 'outlierWeightShare', title: 'outlier weight share', yaxis: { range: [0, 1] } },
    { key: 'miscalibrationArea', title: 'miscalibration area', yaxis: { rangemode: 'tozero' } },
    { key: 'crps', title: 'CRPS', yaxis: { type: 'log' } },
  ] as const;
  return {
    title: 'Training curves',
    plots: metrics.map(({ key, title, yaxis }) => ({
      data: specs.map((s, k) => ({
        type: 'scatter',
        mode: 'lines',
        x: steps,
        y: history.map((h) => h.models.find((m) => m.id === s.id)?.[key] ?? null),
        line: { color: MODEL_COLORS[k % MODEL_COLORS.length], width: 2 },
        name: `${k + 1}: ${modelTitle(s)}`,
      })),
      heading: { title: `${title} against step` },
      layout: smallLayout({ type: 'log' }, yaxis, revision),
    })),
    legend: specs.map((s, k) => ({ name: `${k + 1}: ${modelTitle(s)}`, color: MODEL_COLORS[k % MODEL_COLORS.length], mark: 'line' as const })),
  };
}
