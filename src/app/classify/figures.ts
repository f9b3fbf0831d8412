// The classification views as Plotly figures (pure: data in, {data, layout} out). The basic Plotly bundle has
// no heatmap, so fields over the input plane are drawn as an image (RGBA pixels → a layout image).
import type { ClassPoints } from '../../core/classify/data';
import type { ClassFields, ClassModelSnapshot } from '../../core/classify/evaluate';
import { miningOf, type ClassMining } from '../../core/classify/mining';
import { embeddingBasis, projectRows, projectSigma } from '../../core/classify/projection';
import { REJECTION_FRACTIONS } from '../../core/classify/metrics';
import type { ClassHistoryRow } from '../../core/classify/schema';

export interface PlotFigure {
  data: Record<string, unknown>[];
  layout: Record<string, unknown>;
}

export const CLASS_COLORS: [number, number, number][] = [
  [31, 119, 180],
  [214, 39, 40],
  [44, 160, 44],
  [148, 103, 189],
  [255, 127, 14],
];
const rgb = ([r, g, b]: [number, number, number]) => `rgb(${r},${g},${b})`;

/**
 * RGBA pixels (rows top to bottom) of the class-probability field: each cell the colour of its most likely
 * class, paler as the probability falls toward 1/C, and dark where the most likely class changes (the boundary).
 */
export function probabilityPixels(f: Pick<ClassFields, 'gridSize' | 'probs'>, classes: number): Uint8ClampedArray {
  const g = f.gridSize;
  const arg = new Int32Array(g * g);
  const conf = new Float32Array(g * g);
  for (let i = 0; i < g * g; i++) {
    let best = 0;
    for (let c = 1; c < classes; c++) if (f.probs[i * classes + c] > f.probs[i * classes + best]) best = c;
    arg[i] = best;
    conf[i] = (f.probs[i * classes + best] - 1 / classes) / (1 - 1 / classes);
  }
  const out = new Uint8ClampedArray(4 * g * g);
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const i = r * g + c;
      const edge = (c + 1 < g && arg[i + 1] !== arg[i]) || (r + 1 < g && arg[i + g] !== arg[i]);
      const [R, G, B] = CLASS_COLORS[arg[i] % CLASS_COLORS.length];
      const a = edge ? 0 : 0.15 + 0.45 * Math.max(0, Math.min(1, conf[i]));
      const o = 4 * ((g - 1 - r) * g + c);
      [out[o], out[o + 1], out[o + 2], out[o + 3]] = edge
        ? [30, 30, 30, 255]
        : [255 - a * (255 - R), 255 - a * (255 - G), 255 - a * (255 - B), 255];
    }
  }
  return out;
}

/** RGBA pixels of a scalar field (0 → white, its maximum → dark purple). */
export function scalarPixels(values: Float32Array, g: number): Uint8ClampedArray {
  let hi = 0;
  values.forEach((v) => (hi = Math.max(hi, Number.isFinite(v) ? v : 0)));
  const out = new Uint8ClampedArray(4 * g * g);
  for (let r = 0; r < g; r++) {
    for (let c = 0; c < g; c++) {
      const t = hi > 0 ? values[r * g + c] / hi : 0;
      const o = 4 * ((g - 1 - r) * g + c);
      [out[o], out[o + 1], out[o + 2], out[o + 3]] = [255 - 170 * t, 255 - 220 * t, 255 - 90 * t, 255];
    }
  }
  return out;
}

/** Training points by noisy label; flipped ones ringed in black. */
function pointTraces(p: ClassPoints): Record<string, unknown>[] {
  const traces: Record<string, unknown>[] = [];
  for (let c = 0; c < p.classes; c++) {
    for (const flipped of [0, 1]) {
      const idx = Array.from(p.label.keys()).filter((i) => p.label[i] === c && p.flipped[i] === flipped);
      if (!idx.length) continue;
      traces.push({
        type: 'scatter',
        mode: 'markers',
        name: `label ${c}${flipped ? ' (flipped)' : ''}`,
        x: idx.map((i) => p.x[2 * i]),
        y: idx.map((i) => p.x[2 * i + 1]),
        marker: {
          color: rgb(CLASS_COLORS[c % 5]),
          size: flipped ? 8 : 5,
          line: flipped ? { color: '#000', width: 2 } : { width: 0 },
        },
        customdata: idx,
        hoverinfo: 'x+y+name',
      });
    }
  }
  return traces;
}

const planeLayout = (title: string, radius: number, image: string): Record<string, unknown> => ({
  title: { text: title, font: { size: 13 } },
  margin: { l: 30, r: 10, t: 30, b: 25 },
  showlegend: false,
  xaxis: { range: [-radius, radius], zeroline: false },
  yaxis: { range: [-radius, radius], zeroline: false, scaleanchor: 'x' },
  images: [
    {
      source: image,
      xref: 'x',
      yref: 'y',
      x: -radius,
      y: radius,
      sizex: 2 * radius,
      sizey: 2 * radius,
      sizing: 'stretch',
      layer: 'below',
    },
  ],
});

export function inputPlaneFigure(title: string, fields: ClassFields, points: ClassPoints, image: string): PlotFigure {
  return { data: pointTraces(points), layout: planeLayout(title, fields.radius, image) };
}

export function sigmaFieldFigure(title: string, fields: ClassFields, points: ClassPoints, image: string): PlotFigure {
  return {
    data: pointTraces(points).map((t) => ({ ...t, marker: { ...(t.marker as object), size: 3 } })),
    layout: planeLayout(title, fields.radius, image),
  };
}

const fmtW = (w: number[]) =>
  w.length === 2
    ? `(${w.map((v) => v.toFixed(2)).join(', ')})`
    : `${(w.reduce((a, b) => a + b, 0) / w.length).toFixed(2)} (mean over ${w.length} dims)`;

/** The hovered anchor's latest mining in words, or why there is none. */
export function miningText(mining: ClassMining | null | undefined, index: number | null, methodName: string): string {
  if (mining === null || mining === undefined)
    return `${methodName}: no mining (only ALUM and RUL-style mix partners).`;
  if (index === null)
    return `Hover a ringed point of the latest minibatch (step ${mining.step}) to see its partners and mixup weights.`;
  const e = miningOf(mining, index);
  if (!e) return `Point ${index} was not in the latest minibatch (step ${mining.step}); hover a ringed one.`;
  const how =
    e.mined === null ? 'a random partner' : e.mined ? 'mined partners (eq. 10)' : 'random partners (the share 1 − p)';
  const [w, wp, wn] = e.weights;
  return e.neg === null
    ? `Anchor ${index} (step ${mining.step}), ${how}: partner ${e.pos}; w = ${fmtW(w)}, w′ = ${fmtW(wp)}.`
    : `Anchor ${index} (step ${mining.step}), ${how}: positive ${e.pos}, negative ${e.neg}; w = ${fmtW(w)}, w⁺ = ${fmtW(wp)}, w⁻ = ${fmtW(wn)}.`;
}

/**
 * μ of the training points with 1-σ ellipses of a subset and W's class directions: exactly for D = 2, else on
 * the top two principal directions of μ (labelled a projection). The latest minibatch's anchors are ringed
 * grey; a hovered anchor's partners are joined to it (positive solid, negative dashed).
 */
export function embeddingFigure(
  title: string,
  fields: ClassFields,
  points: ClassPoints,
  embedding: number,
  classes: number,
  mining?: ClassMining | null,
  hovered: number | null = null,
): PlotFigure {
  const d = embedding;
  const n = points.label.length;
  const basis = embeddingBasis(fields.mu, d);
  const xy = projectRows(fields.mu, d, basis);
  const sxy = projectSigma(fields.sigma, d, basis);
  const ex: (number | null)[] = [];
  const ey: (number | null)[] = [];
  for (let i = 0; i < n; i += Math.max(1, Math.floor(n / 80))) {
    const [mx, my, sx, sy] = [xy[2 * i], xy[2 * i + 1], sxy[2 * i], sxy[2 * i + 1]];
    for (let a = 0; a <= 24; a++) {
      ex.push(mx + sx * Math.cos((a / 24) * 2 * Math.PI));
      ey.push(my + sy * Math.sin((a / 24) * 2 * Math.PI));
    }
    ex.push(null);
    ey.push(null);
  }
  // With a minibatch to hover, only its ringed anchors answer the pointer (points overlap in the embedding).
  const pts = pointTraces({ ...points, x: xy }).map((t) => (mining ? { ...t, hoverinfo: 'skip' } : t));
  let scale = 0;
  for (let i = 0; i < 2 * n; i++) scale = Math.max(scale, Math.abs(xy[i]));
  const wc = projectRows(
    Float64Array.from({ length: classes * d }, (_, i) => fields.classifier[(i % d) * classes + Math.floor(i / d)]),
    d,
    basis,
  );
  const dirs = Array.from({ length: classes }, (_, c) => {
    const [wx, wy] = [wc[2 * c], wc[2 * c + 1]];
    const len = Math.hypot(wx, wy) || 1;
    return {
      type: 'scatter',
      mode: 'lines',
      x: [0, (scale * wx) / len],
      y: [0, (scale * wy) / len],
      line: { color: rgb(CLASS_COLORS[c % 5]), width: 3, dash: 'dash' },
      name: `W class ${c}`,
      hoverinfo: 'skip',
    };
  });
  const extra: Record<string, unknown>[] = [];
  if (mining) {
    const a = Array.from(mining.anchors);
    extra.push({
      type: 'scatter',
      mode: 'markers',
      x: a.map((i) => xy[2 * i]),
      y: a.map((i) => xy[2 * i + 1]),
      customdata: a,
      marker: { size: 12, color: 'rgba(0,0,0,0)', line: { color: 'rgba(90,90,90,0.8)', width: 1.5 } },
      name: 'latest minibatch',
      hoverinfo: 'name',
    });
    const e = hovered === null ? null : miningOf(mining, hovered);
    if (e && hovered !== null) {
      const line = (j: number, color: string, dash: string, name: string) => ({
        type: 'scatter',
        mode: 'lines+markers',
        x: [xy[2 * hovered], xy[2 * j]],
        y: [xy[2 * hovered + 1], xy[2 * j + 1]],
        line: { color, width: 2.5, dash },
        marker: { size: 11, symbol: 'diamond' },
        name,
        hoverinfo: 'name',
      });
      extra.push(line(e.pos, '#2a2', 'solid', e.neg === null ? 'partner' : 'positive'));
      if (e.neg !== null) extra.push(line(e.neg, '#c22', 'dash', 'negative'));
    }
  }
  const axisTitle = (k: number) =>
    basis.projected ? `PC${k + 1} of μ (${(100 * basis.explained[k]).toFixed(0)} %)` : `μ${k + 1}`;
  return {
    data: [
      {
        type: 'scatter',
        mode: 'lines',
        x: ex,
        y: ey,
        line: { color: 'rgba(0,0,0,0.25)', width: 1 },
        hoverinfo: 'skip',
        name: 'σ ellipses',
      },
      ...pts,
      ...dirs,
      ...extra,
    ],
    layout: {
      title: { text: basis.projected ? `${title} · projection of R^${d}` : title, font: { size: 13 } },
      margin: { l: 40, r: 10, t: 30, b: 35 },
      showlegend: false,
      hovermode: 'closest',
      xaxis: { title: { text: axisTitle(0), font: { size: 11 } } },
      yaxis: { scaleanchor: 'x', title: { text: axisTitle(1), font: { size: 11 } } },
    },
  };
}

export function accuracyFigure(history: ClassHistoryRow[], names: string[]): PlotFigure {
  return {
    data: names.map((name, k) => ({
      type: 'scatter',
      mode: 'lines',
      name,
      x: history.map((h) => h.step),
      y: history.map((h) => 100 * h.accuracy[k]),
    })),
    layout: {
      title: { text: 'clean-test accuracy (%)', font: { size: 13 } },
      margin: { l: 40, r: 10, t: 30, b: 30 },
      xaxis: { title: { text: 'step' } },
      legend: { orientation: 'h' },
    },
  };
}

/** Histograms of the uncertainty score on flipped and on clean training points. */
export function flippedHistogramFigure(model: ClassModelSnapshot, points: ClassPoints): PlotFigure {
  const s = model.fields!.trainScore;
  let lo = Infinity;
  let hi = -Infinity;
  s.forEach((v) => ((lo = Math.min(lo, v)), (hi = Math.max(hi, v))));
  const bins = 20;
  const width = (hi - lo) / bins || 1;
  const hist = (flag: number) => {
    const counts = new Array(bins).fill(0);
    let total = 0;
    s.forEach((v, i) => {
      if (points.flipped[i] !== flag) return;
      counts[Math.min(bins - 1, Math.floor((v - lo) / width))]++;
      total++;
    });
    return counts.map((c) => (total ? c / total : 0));
  };
  const x = Array.from({ length: bins }, (_, b) => lo + (b + 0.5) * width);
  const auroc = model.metrics.flippedAuroc;
  return {
    data: [
      { type: 'bar', name: 'clean', x, y: hist(0), marker: { color: 'rgba(31,119,180,0.6)' } },
      { type: 'bar', name: 'flipped', x, y: hist(1), marker: { color: 'rgba(214,39,40,0.6)' } },
    ],
    layout: {
      title: {
        text: `${model.scoreKind === 'sigma' ? 'mean σ' : 'predictive entropy'} on flipped vs clean · AUROC ${Number.isFinite(auroc) ? auroc.toFixed(3) : '—'}`,
        font: { size: 13 },
      },
      barmode: 'overlay',
      margin: { l: 40, r: 10, t: 30, b: 30 },
      legend: { orientation: 'h' },
    },
  };
}

export function rejectionFigure(models: ClassModelSnapshot[], names: string[]): PlotFigure {
  return {
    data: models.map((m, k) => ({
      type: 'scatter',
      mode: 'lines+markers',
      name: names[k],
      x: REJECTION_FRACTIONS.map((f) => 100 * f),
      y: m.metrics.rejection.map((v) => 100 * v),
    })),
    layout: {
      title: { text: 'accuracy (%) after rejecting the most uncertain test points', font: { size: 13 } },
      margin: { l: 40, r: 10, t: 30, b: 30 },
      xaxis: { title: { text: 'rejected (%)' } },
      legend: { orientation: 'h' },
    },
  };
}
