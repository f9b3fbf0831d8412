// What the figures share: the figure and point-set types, point traces, colours, number format, model titles and
// warm-up notes. Pure functions, no DOM here; the fit panel itself is fitFigure.ts.
import type { ModelSnapshot } from '../core/engine';
import { lossLabel, lossHypers, parseLossId, type HyperId } from '../core/losses';
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

export const COLORS = {
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
export const WEIGHT_SCALE: [number, string][] = [
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
export const UNWEIGHTED = '#8a94a3';

/** Which per-point value colours the points: σ* for SuperLoss, the relative Boltzmann weight otherwise. */
export function pointWeights(spec: ModelSpec, model: ModelSnapshot): { values: Float32Array; label: string } {
  return parseLossId(spec.loss).wrapper === 'superloss'
    ? { values: model.sigmaStar, label: 'σ*' }
    : { values: model.weight, label: 'B·wᵢ' };
}

/** Backgrounds left transparent, so the point canvas under a figure shows through. */
export const SEE_THROUGH = { plot_bgcolor: 'rgba(0,0,0,0)', paper_bgcolor: 'rgba(0,0,0,0)' };
