// The fit panel as pure functions of a snapshot: the data, the truth and each model's mean and ±2σ band, coloured
// by the model's weights; and the same panel before the first step (the data alone). No DOM here.
import type { ModelSpec } from '../core/config';
import type { Points } from '../core/datasets';
import type { ModelSnapshot, Snapshot } from '../core/engine';
import { predictsVariance } from '../core/losses';
import type { Warmup } from '../core/state';
import {
  COLORS,
  fmt,
  modelTitle,
  pointWeights,
  SEE_THROUGH,
  UNWEIGHTED,
  warmupNote,
  WEIGHT_SCALE,
  type Figure,
  type PointSet,
} from './figures';

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
