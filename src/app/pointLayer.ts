// Scatter points drawn on a 2-D canvas under a Plotly figure. A thousand SVG markers whose colours change
// every frame cost Plotly 45–120 ms per redraw on a slow machine (one long main-thread task per panel);
// the same points on a canvas take about a millisecond, and Plotly then only redraws a few lines.
// Plotly still owns the axes, zoom, pan and clicks; this layer reads its axes and follows them.
import type { PointSet } from './figures';
import { axisGeometry, axisName, toPixel, type Ranges } from './plotlyAdapter';

export { rangesFromEvent } from './plotlyAdapter';

type PlotlyRoot = HTMLElement;

const rgbCache = new Map<string, [number, number, number]>();
function rgb(hex: string): [number, number, number] {
  let c = rgbCache.get(hex);
  if (!c) {
    const n = parseInt(hex.slice(1), 16);
    c = [(n >> 16) & 255, (n >> 8) & 255, n & 255];
    rgbCache.set(hex, c);
  }
  return c;
}

/** The colour of value v on a piecewise-linear scale of [fraction, '#rrggbb'] stops over [cmin, cmax]. */
export function scaleColor(v: number, cmin: number, cmax: number, scale: [number, string][]): string {
  const f = Number.isFinite(v) ? Math.min(1, Math.max(0, (v - cmin) / (cmax - cmin))) : 0;
  let k = 1;
  while (k < scale.length - 1 && scale[k][0] < f) k++;
  const [f0, c0] = scale[k - 1];
  const [f1, c1] = scale[k];
  const t = f1 > f0 ? (f - f0) / (f1 - f0) : 0;
  const a = rgb(c0);
  const b = rgb(c1);
  return `rgb(${Math.round(a[0] + t * (b[0] - a[0]))},${Math.round(a[1] + t * (b[1] - a[1]))},${Math.round(a[2] + t * (b[2] - a[2]))})`;
}

const COLOR_BINS = 48;

/** v snapped to the centre of its bin: COLOR_BINS steps between cmin and cmax (beyond them, the ends). */
function binned(v: number, cmin: number, cmax: number): number {
  if (!Number.isFinite(v)) return cmin;
  const f = Math.min(1, Math.max(0, (v - cmin) / (cmax - cmin)));
  return cmin + ((Math.min(COLOR_BINS - 1, Math.floor(f * COLOR_BINS)) + 0.5) / COLOR_BINS) * (cmax - cmin);
}

/** Everything the layer needs from a set to place its points: pixel coordinates, or null when off-axis. */
function project(
  gd: PlotlyRoot,
  set: PointSet,
  ranges: Ranges,
): { px: Float32Array; py: Float32Array; clip: [number, number, number, number] } | null {
  const xname = axisName(set.xaxis, 'x');
  const yname = axisName(set.yaxis, 'y');
  const xa = axisGeometry(gd, xname);
  const ya = axisGeometry(gd, yname);
  if (!xa || !ya || !xa.linear || !ya.linear) return null;
  const n = set.x.length;
  const px = new Float32Array(n);
  const py = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    px[i] = toPixel(xa, set.x[i], false, ranges[xname]);
    py[i] = toPixel(ya, set.y[i], true, ranges[yname]);
  }
  return { px, py, clip: [xa.offset, ya.offset, xa.length, ya.length] };
}

/** Draws the sets on the canvas to match the Plotly figure in gd (same size, same axes). */
export function drawPoints(canvas: HTMLCanvasElement, gd: PlotlyRoot, sets: PointSet[], ranges: Ranges = {}): void {
  const dpr = window.devicePixelRatio || 1;
  const w = gd.clientWidth;
  const h = gd.clientHeight;
  if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
    canvas.width = Math.round(w * dpr);
    canvas.height = Math.round(h * dpr);
    canvas.style.width = `${w}px`;
    canvas.style.height = `${h}px`;
  }
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  ctx.clearRect(0, 0, w, h);
  for (const set of sets) {
    const p = project(gd, set, ranges);
    if (!p) continue;
    ctx.save();
    ctx.beginPath();
    ctx.rect(...p.clip);
    ctx.clip();
    ctx.globalAlpha = set.opacity;
    // One path per colour: the points are binned into COLOR_BINS steps of the scale, and each bin is
    // filled (or stroked) with a single call, instead of one draw call per point.
    const colour = set.color;
    const bins = new Map<string, number[]>();
    for (let i = 0; i < p.px.length; i++) {
      if (!Number.isFinite(p.px[i]) || !Number.isFinite(p.py[i])) continue;
      const c =
        typeof colour === 'string'
          ? colour
          : scaleColor(binned(colour.values[i], colour.cmin, colour.cmax), colour.cmin, colour.cmax, colour.scale);
      let list = bins.get(c);
      if (!list) bins.set(c, (list = []));
      list.push(i);
    }
    const r = set.size / 2;
    for (const [c, list] of bins) {
      ctx.beginPath();
      for (const i of list) {
        const x = p.px[i];
        const y = p.py[i];
        if (set.symbol === 'x') {
          ctx.moveTo(x - r, y - r);
          ctx.lineTo(x + r, y + r);
          ctx.moveTo(x - r, y + r);
          ctx.lineTo(x + r, y - r);
        } else {
          ctx.moveTo(x + r, y);
          ctx.arc(x, y, r, 0, 2 * Math.PI);
        }
      }
      if (set.symbol === 'x') {
        ctx.strokeStyle = c;
        ctx.lineWidth = 1.6;
        ctx.stroke();
      } else {
        ctx.fillStyle = c;
        ctx.fill();
      }
    }
    ctx.restore();
  }
}

/** The point nearest to (x, y) in pixels, within `radius`, as [set index, point index]; null if none. */
export function nearestPoint(
  gd: PlotlyRoot,
  sets: PointSet[],
  x: number,
  y: number,
  radius = 8,
): [number, number] | null {
  let best: [number, number] | null = null;
  let bestD = radius * radius;
  sets.forEach((set, s) => {
    if (!set.hover) return;
    const p = project(gd, set, {});
    if (!p) return;
    const [cx, cy, cw, ch] = p.clip;
    if (x < cx || x > cx + cw || y < cy || y > cy + ch) return;
    for (let i = 0; i < p.px.length; i++) {
      const d = (p.px[i] - x) ** 2 + (p.py[i] - y) ** 2;
      if (d <= bestD) {
        bestD = d;
        best = [s, i];
      }
    }
  });
  return best;
}
