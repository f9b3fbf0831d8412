// The views beside the fit panels as pure functions of a snapshot: weights and loss shapes (curves: curvesView.ts).
import type { Points } from '../core/datasets';
import type { ModelSnapshot } from '../core/engine';
import { BARRON_NAMED, parseLossId } from '../core/losses';
import type { ModelSpec } from '../core/config';
import { fmt, modelTitle, pointWeights, SEE_THROUGH, warmupNote, type Figure, type PointSet } from './figures';
import type { Warmup } from '../core/state';
import { linearAxis, logAxis, positiveExtent } from './ticks';

export const MODEL_COLORS = ['#1f6fd1', '#e4572e', '#2a9d8f', '#9b5de5', '#f4a261', '#6c757d', '#d62828', '#3a86ff'];

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
  /** Why the view shows nothing the model uses yet (its warm-up, in words); the panel greys it and says so. */
  dimmed?: string;
}

export function smallLayout(
  xaxis: Record<string, unknown>,
  yaxis: Record<string, unknown>,
  revision?: string,
): Record<string, unknown> {
  return {
    // At most five ticks, never rotated, with room for their labels (ticks.ts); an axis may set its own.
    xaxis: xaxis.tickvals ? xaxis : linearAxis(xaxis),
    yaxis: yaxis.tickvals ? yaxis : linearAxis(yaxis),
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
    case 'boltzmann-clipped':
      return 'B·max(αⱼ, 0) (eq. 7, clipped)';
    case 'superloss':
      return 'σ*ⱼ (SuperLoss)';
    case 'none':
      return '1 (plain mean)';
  }
}

/** Below this relative weight a point counts as weighted out (its gradient share is under 2 % of plain averaging's). */
const WEIGHTED_OUT = 0.02;

/**
 * Where the loss axis ends: a few huge losses (outliers under a small σ reach 10⁵) would squash every other point
 * against 0. Where the weighting cuts off, the axis ends just past the largest loss of a point still weighted
 * (`weights` ≥ 0.02), so the fall of the weight fills the plot; otherwise at the inliers' 99th percentile of ℓ
 * (every point's 90th without outlier flags). It is clipped only when the largest loss lies well beyond; the points
 * beyond are drawn at the edge and counted.
 */
export function lossAxisEnd(
  loss: ArrayLike<number>,
  isOutlier: ArrayLike<number>,
  weights?: ArrayLike<number>,
): { lo: number; hi: number; beyond: number; outliersBeyond: number } {
  const inl: number[] = [];
  const all: number[] = [];
  let weighted = -Infinity;
  let cutOff = false;
  for (let i = 0; i < loss.length; i++) {
    if (!Number.isFinite(loss[i])) continue;
    all.push(loss[i]);
    if (!isOutlier[i]) inl.push(loss[i]);
    if (weights && weights[i] >= WEIGHTED_OUT) weighted = Math.max(weighted, loss[i]);
    else if (weights) cutOff = true;
  }
  if (!all.length) return { lo: 0, hi: 1, beyond: 0, outliersBeyond: 0 };
  all.sort((x, y) => x - y);
  inl.sort((x, y) => x - y);
  const q = (a: number[], p: number) => a[Math.floor(p * (a.length - 1))];
  const [lo, max] = [all[0], all[all.length - 1]];
  // Where the weighting cuts off, its fall is the picture (often among the outliers: the inliers' losses may all sit
  // below it); otherwise the bulk of the inliers.
  const cut =
    cutOff && weighted > lo ? weighted + 0.1 * (weighted - lo) : inl.length >= 10 ? q(inl, 0.99) : q(all, 0.9);
  // Clip only where it changes the picture: the largest loss more than half again the cut's distance from the smallest.
  const hi = max - lo > 1.5 * (cut - lo) && cut > lo ? cut : max > lo ? max : lo + 1;
  let beyond = 0;
  let outliersBeyond = 0;
  for (let i = 0; i < loss.length; i++) {
    if (!(loss[i] > hi)) continue;
    beyond++;
    if (isOutlier[i]) outliersBeyond++;
  }
  return { lo, hi, beyond, outliersBeyond };
}

export function weightsView(
  m: ModelSnapshot,
  spec: ModelSpec,
  points: Points,
  revision: string,
  warmup?: Warmup,
): View {
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
    {
      name: `gradient weight ${gradWeightLabel(spec)}, inliers`,
      idx: inl,
      w: m.gradWeight,
      color: '#2a9d8f',
      symbol: 'circle',
      size: 3,
      opacity: 0.5,
    },
    {
      name: `gradient weight, outliers`,
      idx: out,
      w: m.gradWeight,
      color: '#9b5de5',
      symbol: 'x',
      size: 4,
      opacity: 0.6,
    },
  ] as const;
  const axis = lossAxisEnd(m.sampleLoss, points.isOutlier, m.phase === 2 ? values : undefined);
  const sets = (x: ArrayLike<number>, xname: string, clip: number): PointSet[] =>
    kinds.map((k) => {
      const xs = pick(k.idx, x);
      const ys = pick(k.idx, k.w);
      // A loss beyond the axis's end sits at the edge; its hover still gives the true value.
      const drawn = xs.map((v) => Math.min(v, clip));
      return {
        name: k.name,
        x: drawn,
        y: ys,
        color: k.color,
        symbol: k.symbol,
        size: k.size,
        opacity: k.opacity,
        hover: (i) =>
          `${k.name}<br>${xname} = ${fmt(xs[i])}${xs[i] > clip ? ' (drawn at the edge)' : ''}<br>weight = ${fmt(ys[i])}`,
      };
    });
  // Weights span orders of magnitude and αⱼ can be negative: frame the bulk, at least [−0.2, 2].
  const all = [...Array.from(values), ...Array.from(m.gradWeight)].filter(Number.isFinite).sort((a, b) => a - b);
  const q = (p: number) => all[Math.floor(p * (all.length - 1))] ?? 0;
  const weightRange = [Math.min(-0.2, q(0.01) * 1.1), Math.max(2, q(0.99) * 1.1)];
  const lossRange = [axis.lo, axis.hi];
  const xRange = [Math.min(...points.x), Math.max(...points.x)];
  const one = (x: number[]) => ({
    type: 'scatter',
    mode: 'lines',
    x,
    y: [1, 1],
    line: { color: '#222', dash: 'dot', width: 1 },
    name: '1 = plain averaging',
    hoverinfo: 'skip',
  });
  const pad = 0.04 * (axis.hi - axis.lo);
  const edge = axis.beyond
    ? `${axis.beyond} point${axis.beyond === 1 ? '' : 's'} with ℓ beyond ${fmt(axis.hi)}${axis.outliersBeyond ? ` (${axis.outliersBeyond} injected outlier${axis.outliersBeyond === 1 ? '' : 's'})` : ''} drawn at the right edge`
    : undefined;
  // A plain loss weights every point 1 in every phase: only a weighted loss has weights the warm-up leaves unused.
  const phase = parseLossId(spec.loss).wrapper !== 'none' ? warmupNote(m, warmup) : null;
  return {
    title: `Weights of ${modelTitle(spec)}`,
    plots: [
      {
        data: [one(xRange)],
        points: sets(points.x, 'x', Infinity),
        heading: { title: 'relative weight against x' },
        layout: smallLayout({}, { range: weightRange }, revision),
      },
      {
        data: [
          one(lossRange),
          ...(axis.beyond
            ? [
                {
                  type: 'scatter',
                  mode: 'lines',
                  x: [axis.hi, axis.hi],
                  y: weightRange,
                  line: { color: '#999', dash: 'dash', width: 1 },
                  hoverinfo: 'skip',
                  name: 'edge',
                },
              ]
            : []),
        ],
        points: sets(m.sampleLoss, 'ℓᵢ', axis.hi),
        heading: { title: 'relative weight against the sample’s loss ℓᵢ', ...(edge ? { subtitle: edge } : {}) },
        layout: smallLayout({ range: [axis.lo - pad, axis.hi + pad] }, { range: weightRange }, revision),
      },
    ],
    legend: [
      ...kinds.map((k) => ({ name: k.name, color: k.color, mark: k.symbol })),
      { name: '1 = plain averaging', color: '#222', mark: 'dot' as const },
    ],
    // The warm-up trains the plain mean (then plain NLL): these weights are computed but enter no gradient yet.
    ...(phase ? { dimmed: `${phase}: no weight is used yet` } : {}),
  };
}

/** A log y axis over the series' positive values, labelled with its own ticks (ticks.ts: no "100μ"). */
export function logY(series: ArrayLike<number | null>[], title?: string): Record<string, unknown> {
  const e = positiveExtent(series);
  return e
    ? logAxis(e[0], e[1], title ? { title: { text: title } } : {})
    : { type: 'log', ...(title ? { title: { text: title } } : {}) };
}

/** Loss-shape view: Barron's ρ and ψ for α, the Boltzmann weight against NLL for T and B, β-NLL's sampling weight. */
export function shapeView(
  opts: { alpha: number; c: number; T: number; batch: number; beta: number },
  rho: (x: number, a: number, c: number) => number,
  psi: (x: number, a: number, c: number) => number,
): View {
  // Residuals in units of the scale c, so the shape reads the same whatever c is.
  const xs = Array.from({ length: 241 }, (_, i) => opts.c * (-6 + i * 0.05));
  const faint = BARRON_NAMED.map(({ alpha, name }) => ({
    type: 'scatter',
    mode: 'lines',
    x: xs,
    y: xs.map((x) => rho(x, alpha, opts.c)),
    line: { color: '#bbb', width: 1 },
    name,
    hoverinfo: 'name',
  }));
  // Boltzmann weight of a sample whose NLL exceeds the others' (all at 0) by Δ, relative to 1/B.
  const span = Number.isFinite(opts.T) ? opts.T : 4;
  const deltas = Array.from({ length: 201 }, (_, i) => span * (-2 + i * 0.1));
  const relW = (d: number) =>
    Number.isFinite(opts.T) ? (opts.batch * Math.exp(-d / opts.T)) / (opts.batch - 1 + Math.exp(-d / opts.T)) : 1;
  const sig = Array.from({ length: 100 }, (_, i) => 0.05 + i * 0.05);
  const T = Number.isFinite(opts.T) ? opts.T.toPrecision(3) : '∞';
  const boltz = deltas.map(relW);
  const betaW = sig.map((s) => s ** (2 * opts.beta) / (s * s));
  return {
    title: 'Loss shapes (live with the sliders)',
    plots: [
      {
        data: [
          ...faint,
          {
            type: 'scatter',
            mode: 'lines',
            x: xs,
            y: xs.map((x) => rho(x, opts.alpha, opts.c)),
            line: { color: '#1f6fd1', width: 2.5 },
            name: 'ρ(x, α, c)',
          },
          {
            type: 'scatter',
            mode: 'lines',
            x: xs,
            y: xs.map((x) => psi(x, opts.alpha, opts.c)),
            line: { color: '#e4572e', width: 2, dash: 'dash' },
            name: 'ψ = ∂ρ/∂x',
          },
        ],
        heading: { title: `Barron, α = ${fmt(opts.alpha)}` },
        layout: smallLayout(
          { title: { text: `residual x (c = ${opts.c.toPrecision(2)})` } },
          { range: [-1.5 / opts.c, 6] },
        ),
      },
      {
        data: [
          {
            type: 'scatter',
            mode: 'lines',
            x: deltas,
            y: boltz,
            line: { color: '#2a9d8f', width: 2.5 },
            name: `B·w vs ΔNLL (T = ${T}, B = ${opts.batch})`,
          },
        ],
        heading: { title: `Boltzmann weight, T = ${T}, B = ${opts.batch}` },
        layout: smallLayout({ title: { text: 'NLL above the batch (Δ)' } }, logY([boltz], 'relative weight')),
      },
      {
        data: [
          {
            type: 'scatter',
            mode: 'lines',
            x: sig,
            y: betaW,
            line: { color: '#9b5de5', width: 2.5 },
            name: `σ^(2β)/σ² (β = ${opts.beta})`,
          },
        ],
        heading: { title: `β-NLL weight, β = ${fmt(opts.beta)}` },
        layout: smallLayout({ title: { text: 'σ' } }, logY([betaW], 'effective weight')),
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
