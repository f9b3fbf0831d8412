// The fit panel as pure functions of a snapshot: (snapshot, options) → { data, layout }, and what the views share. No DOM here.
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import { lossLabel, lossHypers, parseLossId, predictsVariance, type HyperId } from '../core/losses';
import type { ModelSpec } from '../core/config';
import type { Warmup } from '../core/state';

export interface Figure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
  /** Scatter points drawn on a canvas under the Plotly traces (see pointLayer.ts); SVG traces for export. */
  points?: PointSet[];
  /**
   * The plot's title, drawn as HTML above it: Plotly measures and redraws SVG titles on every update,
   * which on a slow machine costs more than the lines themselves. PNG export puts it back in the image.
   */
  heading?: {
    title: string;
    subtitle?: string;
    colorScale?: { label: string; scale: [number, string][]; cmin: number; cmax: number };
  };
  /** In place of the plot: why there is nothing to draw (a metric no model here has), instead of empty axes. */
  note?: string;
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
        : {
            color: Array.from(s.color.values),
            cmin: s.color.cmin,
            cmax: s.color.cmax,
            colorscale: s.color.scale,
            size: s.size,
            symbol: s.symbol,
            opacity: s.opacity,
          },
  }));
}

const COLORS = {
  truth: '#222',
  mean: '#1f6fd1',
  band: 'rgba(31, 111, 209, 0.18)',
  /** An ensemble's total band (aleatoric + epistemic) around its aleatoric band. */
  epistemicBand: 'rgba(228, 87, 46, 0.16)',
  truthBand: 'rgba(0, 0, 0, 0.35)',
  untrainedBand: 'rgba(120, 130, 145, 0.08)',
  /** The split-conformal band's outline (posthoc.ts). */
  conformal: '#2a9d8f',
};

/** A weight colour scale: grey-blue for down-weighted points, orange-red for up-weighted ones. */
const WEIGHT_SCALE: [number, string][] = [
  [0, '#c9cfd8'],
  [0.5, '#6b8fb8'],
  [1, '#e4572e'],
];

export function fmt(v: number): string {
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

/**
 * "Robust-NLL (T=16)" — the loss and its live hyperparameters: the one display name of a model everywhere (panels,
 * legends, tables, sweep cells). `omit`: hyperparameters not to quote (a sweep grid's axes, which vary by cell).
 */
export function modelTitle(spec: ModelSpec, omit: readonly string[] = []): string {
  const hypers = lossHypers(spec.loss)
    .filter((h) => !omit.includes(h))
    .map((h) => HYPER_LABEL[h](spec))
    .filter(Boolean);
  const title = hypers.length ? `${lossLabel(spec.loss)} (${hypers.join(', ')})` : lossLabel(spec.loss);
  return (spec.ensemble ?? 1) > 1 ? `${title}, ensemble of ${spec.ensemble}` : title;
}

/**
 * A model's warm-up, in words with its step, or null once it trains with its own loss: "warm-up: mean only
 * (step 120 of 400)". Without the schedule (an old caller) the phase alone.
 */
export function warmupNote(model: Pick<ModelSnapshot, 'phase' | 'steps'>, warmup?: Warmup): string | null {
  if (model.phase === 2) return null;
  const end = warmup && (model.phase === 0 ? warmup.meanSteps : warmup.meanSteps + warmup.nllSteps);
  // A schedule that does not fit the phase (a new run's settings beside the old run's last frame) gives no "of N".
  return `warm-up: ${model.phase === 0 ? 'mean only' : 'NLL'}${end !== undefined && model.steps < end ? ` (step ${model.steps} of ${end})` : ''}`;
}

/** Points while no weight is used (the warm-up trains the plain mean, then plain NLL): one neutral grey. */
const UNWEIGHTED = '#8a94a3';

/** Which per-point value colours the points: σ* for SuperLoss, the relative Boltzmann weight otherwise. */
export function pointWeights(spec: ModelSpec, model: ModelSnapshot): { values: Float32Array; label: string } {
  return parseLossId(spec.loss).wrapper === 'superloss'
    ? { values: model.sigmaStar, label: 'σ*' }
    : { values: model.weight, label: 'B·wᵢ' };
}

export interface FitOptions {
  /** Keeps the user's zoom across updates (Plotly's uirevision). */
  revision: string;
  /** The model's warm-up schedule (warmupOf), for "step M of N". */
  warmup?: Warmup;
  /** Draw the model's split-conformal band (posthoc.ts) as an outline over the learned band. */
  conformal?: boolean;
}

/** Indices of the inliers and of the injected outliers. */
function splitByOutlier(points: Points): [number[], number[]] {
  const inlier: number[] = [];
  const outlier: number[] = [];
  points.isOutlier.forEach((o, i) => (o ? outlier : inlier).push(i));
  return [inlier, outlier];
}

/**
 * Your own data's held-out share (split.ts), never trained on: hollow-looking violet dots. Their `index` is
 * −1 − j for held-out point j, so an alt-click can tell them from the training points (useEdits).
 */
function heldOutSet(points: Points): PointSet[] {
  const h = points.heldOut;
  if (!h || h.x.length === 0) return [];
  const idx = Array.from(h.x, (_, j) => -1 - j);
  return [
    {
      name: 'held out',
      x: h.x,
      y: h.y,
      index: idx,
      symbol: 'circle',
      size: 5,
      opacity: 0.55,
      color: '#8e44ad',
      hover: (i) => `held out (not trained on)<br>x = ${fmt(h.x[i])}, y = ${fmt(h.y[i])}`,
    },
  ];
}

/** The calibration share of post-hoc methods (posthoc.ts), never trained on: teal rings, not removable by a click. */
function calibrationSet(points: Points): PointSet[] {
  const c = points.calibration;
  if (!c || c.x.length === 0) return [];
  return [
    {
      name: 'calibration share',
      x: c.x,
      y: c.y,
      symbol: 'circle',
      size: 5,
      opacity: 0.5,
      color: '#2a9d8f',
      hover: (i) =>
        `calibration share (not trained on)${c.isOutlier[i] ? ', an injected outlier' : ''}<br>x = ${fmt(c.x[i])}, y = ${fmt(c.y[i])}`,
    },
  ];
}

/** Backgrounds left transparent, so the point canvas under a figure shows through. */
export const SEE_THROUGH = { plot_bgcolor: 'rgba(0,0,0,0)', paper_bgcolor: 'rgba(0,0,0,0)' };

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
export function fitFigure(
  snapshot: Snapshot,
  model: ModelSnapshot,
  spec: ModelSpec,
  points: Points,
  options: FitOptions,
): Figure {
  const grid = Array.from(snapshot.grid);
  const mu = Array.from(model.mu);
  const sigma = Array.from(model.sigma);
  const { values, label } = pointWeights(spec, model);
  // In the warm-up no weight enters the loss: colouring points by one would show a weighting that is not there.
  const weighted = model.phase === 2;
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
      color: weighted ? { values: w, cmin: 0, cmax: 2, scale: WEIGHT_SCALE } : UNWEIGHTED,
      hover: (i) =>
        `${name}<br>x = ${fmt(x[i])}, y = ${fmt(y[i])}${weighted ? `<br>${label} = ${fmt(w[i])}` : '<br>no weight in the warm-up'}`,
    };
  };
  const data: Record<string, unknown>[] = [];
  const band = (spread: ArrayLike<number>, fillcolor: string, name: string) => {
    const upper = mu.map((m, i) => m + 2 * spread[i]);
    const lower = mu.map((m, i) => m - 2 * spread[i]);
    data.push({
      type: 'scatter',
      mode: 'lines',
      x: [...grid, ...grid.slice().reverse()],
      y: [...upper, ...lower.reverse()],
      fill: 'toself',
      fillcolor,
      line: { width: 0 },
      name,
      hoverinfo: 'skip',
    });
  };
  const e = model.ensemble;
  if (e) {
    // An ensemble: the total band (its members' disagreement added) around the noise they expect.
    band(sigma, COLORS.epistemicBand, `μ* ± 2σ*, total (aleatoric + epistemic, ${e.alive} members)`);
    // The members' σ is untouched in the mean-only warm-up (their disagreement in μ is real from the start).
    if (predictsVariance(spec.loss))
      band(
        e.aleatoric,
        model.phase === 0 ? COLORS.untrainedBand : COLORS.band,
        model.phase === 0 ? 'μ* ± 2√(mean σ²), aleatoric (σ not trained yet)' : 'μ* ± 2√(mean σ²), aleatoric',
      );
  } else if (predictsVariance(spec.loss)) {
    // Student-t with ν ≤ 2 has no finite variance: its band is drawn at ±2 × its scale, and says so. The mean-only
    // warm-up leaves the variance head as it started: its band is drawn faint, as what it is.
    if (model.phase === 0) band(sigma, COLORS.untrainedBand, 'μ ± 2σ (σ not trained yet: mean-only warm-up)');
    else band(sigma, COLORS.band, model.bandIsScale ? 'μ ± 2·scale (ν ≤ 2: no finite σ)' : 'μ ± 2σ');
  }
  if (snapshot.truthMean && snapshot.truthStd) {
    const tm = Array.from(snapshot.truthMean);
    const ts = Array.from(snapshot.truthStd);
    data.push(
      {
        type: 'scatter',
        mode: 'lines',
        x: grid,
        y: tm,
        name: 'true mean',
        line: { color: COLORS.truth, dash: 'dot', width: 2 },
        hoverinfo: 'skip',
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: grid,
        y: tm.map((m, i) => m + 2 * ts[i]),
        name: 'true ±2σ',
        line: { color: COLORS.truthBand, dash: 'dash', width: 1 },
        hoverinfo: 'skip',
      },
      {
        type: 'scatter',
        mode: 'lines',
        x: grid,
        y: tm.map((m, i) => m - 2 * ts[i]),
        showlegend: false,
        line: { color: COLORS.truthBand, dash: 'dash', width: 1 },
        hoverinfo: 'skip',
      },
    );
  }
  data.push(...conformalOutline(model, grid, mu, options));
  data.push({
    type: 'scatter',
    mode: 'lines',
    x: grid,
    y: mu,
    name: e ? 'ensemble mean μ*' : 'predicted μ',
    line: { color: COLORS.mean, width: 2.5 },
  });
  const phase = warmupNote(model, options.warmup);
  const rmse = Number.isFinite(model.metrics.rmse) ? `RMSE ${fmt(model.metrics.rmse)}` : '';
  // σ is untouched in the mean-only warm-up: its error would describe the initial weights, not a loss.
  const sigmaErr =
    predictsVariance(spec.loss) && model.phase > 0 && Number.isFinite(model.metrics.sigmaError)
      ? ` · σ err ${fmt(model.metrics.sigmaError)}`
      : '';
  const members = e ? ` · shaded: aleatoric, orange: + epistemic` : '';
  const ph =
    options.conformal && model.posthoc
      ? ` · conformal q̂ ${fmt(model.posthoc.conformal.q)}${model.posthoc.conformal.score === 'abs' ? '' : ` (z ${fmt(model.posthoc.learned)})`}`
      : '';
  return {
    data,
    points: [
      pointSet(inlier, 'circle', 'data'),
      pointSet(outlier, 'x', 'injected outliers'),
      ...heldOutSet(points),
      ...calibrationSet(points),
    ],
    heading: {
      title: modelTitle(spec),
      subtitle: `${rmse}${sigmaErr}${members}${ph}${phase ? ` · ${phase}` : ''}`,
      ...(weighted ? { colorScale: { label, scale: WEIGHT_SCALE, cmin: 0, cmax: 2 } } : {}),
    },
    layout: fitLayout([grid[0], grid[grid.length - 1]], yRangeOf(snapshot, points), options.revision),
  };
}

/** The conformal band μ̂ ± q̂·σ̂ (or ± q̂) as two outline lines; none when off, absent or infinite (the Post-hoc view says why). */
export function conformalOutline(
  model: ModelSnapshot,
  grid: number[],
  mu: number[],
  options: FitOptions,
): Record<string, unknown>[] {
  const ph = model.posthoc;
  if (!options.conformal || !ph || !Number.isFinite(ph.conformal.q)) return [];
  const h = ph.gridHalfWidth;
  const level = `${Math.round(ph.conformal.level * 100)} %`;
  const line = { color: COLORS.conformal, width: 1.5, dash: 'dashdot' };
  return [
    {
      type: 'scatter',
      mode: 'lines',
      x: grid,
      y: mu.map((m, i) => m + h[i]),
      name: `conformal ${level} band`,
      line,
      hoverinfo: 'skip',
    },
    {
      type: 'scatter',
      mode: 'lines',
      x: grid,
      y: mu.map((m, i) => m - h[i]),
      name: `conformal ${level} band (lower)`,
      showlegend: false,
      line,
      hoverinfo: 'skip',
    },
  ];
}

/** The fit panel before the first training step: the data alone, on the axes the fit will use. */
export function dataFigure(
  spec: ModelSpec,
  points: Points,
  options: FitOptions,
  why = 'waiting for the first training step…',
): Figure {
  let lo = Infinity;
  let hi = -Infinity;
  points.x.forEach((x) => ((lo = Math.min(lo, x)), (hi = Math.max(hi, x))));
  const [inlier, outlier] = splitByOutlier(points);
  const grey = (idx: number[], symbol: 'circle' | 'x', name: string): PointSet => ({
    name,
    x: idx.map((i) => points.x[i]),
    y: idx.map((i) => points.y[i]),
    index: idx,
    symbol,
    size: symbol === 'x' ? 6 : 5,
    opacity: 0.6,
    color: '#8a94a3',
  });
  return {
    data: [],
    points: [
      grey(inlier, 'circle', 'data'),
      grey(outlier, 'x', 'injected outliers'),
      ...heldOutSet(points),
      ...calibrationSet(points),
    ],
    heading: { title: modelTitle(spec), subtitle: why },
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
  if (snapshot?.truthMean && snapshot.truthStd)
    snapshot.truthMean.forEach(
      (m, i) => (take(m + 2.5 * snapshot.truthStd![i]), take(m - 2.5 * snapshot.truthStd![i])),
    );
  else points.y.forEach((y, i) => !points.isOutlier[i] && take(y));
  const pad = 0.15 * (hi - lo || 1);
  return [lo - pad, hi + pad];
}
